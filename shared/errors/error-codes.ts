/**
 * The one registry of Hush's stable error codes. API errors return `{ code, message }`;
 * `docs/errors.md` documents every code (a test keeps the two in step).
 */
export const ERROR_CODES = {
  HUSH_ERR_VALIDATION: { status: 400, meaning: 'The request body or job payload failed validation; the message names the field.' },
  HUSH_ERR_INVALID_JSON: { status: 400, meaning: 'The request body is not valid JSON.' },
  HUSH_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: "The request body's type is not the route's (JSON; for remote write, snappy-compressed protobuf)." },
  HUSH_ERR_MALFORMED_BODY: { status: 400, meaning: 'A binary body (remote write) could not be decoded as a snappy block or protobuf message; the message says where.' },
  HUSH_ERR_BODY_TOO_LARGE: { status: 413, meaning: 'The request body exceeds the configured limit (HUSH_GATEWAY_BODY_LIMIT).' },
  HUSH_ERR_UNAUTHENTICATED: { status: 401, meaning: 'No bearer token, or a token that is not configured.' },
  HUSH_ERR_FORBIDDEN_TENANT: { status: 403, meaning: "The token belongs to another tenant than the payload's." },
  HUSH_ERR_NOT_FOUND: { status: 404, meaning: 'No such route or resource.' },
  HUSH_ERR_CONFLICT: { status: 409, meaning: "The request does not fit the resource's current state (e.g. a canary for a model that is not the challenger); the message says what is." },
  HUSH_ERR_UNAVAILABLE: { status: 503, meaning: 'A backing service (Redis, ClickHouse) is unavailable; retry later.' },
  HUSH_ERR_CONFIG: { status: 500, meaning: 'A configuration value is invalid; the message names the variable.' },
  HUSH_ERR_SERVICE_START: { status: 500, meaning: 'A local service (redis-server, clickhouse-server) could not be installed or started.' },
  HUSH_ERR_CLICKHOUSE: { status: 503, meaning: 'ClickHouse rejected or failed a statement.' },
  HUSH_ERR_MODEL_LOAD: { status: 500, meaning: 'A model artifact could not be loaded into onnxruntime.' },
  HUSH_ERR_INTERNAL: { status: 500, meaning: 'An unexpected fault; the logs carry the cause.' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
