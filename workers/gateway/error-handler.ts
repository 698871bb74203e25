import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, HushError, type ErrorCode } from '../../shared/errors/index.js';
import type { ErrorReplyContext } from './interfaces/error-reply-context.js';

/** Fastify's own client errors, mapped onto Hush's codes (Fastify 5 `FST_ERR_CTP_*`). */
const FASTIFY_CODES: Readonly<Record<string, { code: ErrorCode; message: (context: ErrorReplyContext) => string }>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'HUSH_ERR_INVALID_JSON', message: () => 'the request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'HUSH_ERR_INVALID_JSON', message: () => 'the request body is empty; send a JSON document' },
  // Fastify's own message ("Request body is too large") does not say how large is allowed.
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'HUSH_ERR_BODY_TOO_LARGE',
    message: ({ bodyLimit }) => `the request body exceeds the limit of ${bodyLimit} bytes (HUSH_GATEWAY_BODY_LIMIT)`,
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'HUSH_ERR_UNSUPPORTED_MEDIA_TYPE', message: () => 'the request body must be JSON (Content-Type: application/json)' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'HUSH_ERR_VALIDATION', message: () => 'the request body size does not match its Content-Length' },
};

/** An error response: its status and `{ code, message }` body (plus `rejected` for batches). */
export interface ErrorReply {
  status: number;
  body: { code: ErrorCode; message: string } & Record<string, unknown>;
}

/**
 * The one mapping from anything thrown while handling a request to the response. Unknown faults
 * become 500 `HUSH_ERR_INTERNAL` with a fixed message: internals stay in the log, never the body;
 * `context` supplies the configuration a message quotes (the body limit of a 413).
 */
export function toErrorReply(error: unknown, context: ErrorReplyContext): ErrorReply {
  if (error instanceof HushError) return { status: error.status, body: error.toJSON() };
  const fastifyError = error as Partial<FastifyError> | null;
  const known = typeof fastifyError?.code === 'string' ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) return { status: ERROR_CODES[known.code].status, body: { code: known.code, message: known.message(context) } };
  const status = fastifyError?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Other client errors Fastify or Node's parser raise (bad URL, aborted body): the request's fault.
    return { status: 400, body: { code: 'HUSH_ERR_VALIDATION', message: 'the request is malformed' } };
  }
  return { status: 500, body: { code: 'HUSH_ERR_INTERNAL', message: 'an unexpected fault; the gateway log has the cause' } };
}

/** The Fastify error handler (and `frameworkErrors` hook) that answers with {@link toErrorReply} in `context`. */
export function errorHandler(context: ErrorReplyContext): (error: unknown, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    const { status, body } = toErrorReply(error, context);
    if (status >= 500) {
      request.log.error({ err: error, code: body.code }, 'request failed');
    } else {
      request.log.debug({ code: body.code, message: body.message }, 'request rejected');
    }
    void reply.status(status).type('application/json; charset=utf-8').send(body);
  };
}
