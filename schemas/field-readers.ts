import { TENANT_PATTERN } from './alert.js';
import { type FieldError, type ParseContext, type ParseResult, ROOT_FIELD, forbidden, invalid } from './parse-result.js';
import { parseRfc3339 } from './rfc3339.js';
import { describeValue, hasControlChar, hasLoneSurrogate, utf8ByteLength } from './text-checks.js';

// Readers throw a FieldFailure that `guardParse` turns into a ParseResult, so parsers read as a
// straight list of fields while the public functions still never throw.

export class FieldFailure extends Error {
  readonly fieldError: FieldError;

  constructor(fieldError: FieldError) {
    super(fieldError.message);
    this.fieldError = fieldError;
  }
}

export function fail(field: string, message: string): never {
  throw new FieldFailure(invalid(field, message).error);
}

/** Runs a parser body; field failures become error results and any other fault a root error. */
export function guardParse<T>(body: () => T): ParseResult<T> {
  try {
    return { ok: true, value: body() };
  } catch (thrown) {
    if (thrown instanceof FieldFailure) return { ok: false, error: thrown.fieldError };
    // A getter or proxy handed in by an SDK caller threw: still an answer, never an exception.
    const reason = thrown instanceof Error ? thrown.message : String(thrown);
    return invalid(ROOT_FIELD, `the input could not be read (${reason.slice(0, 120)})`);
  }
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads an own property only: `constructor`, `__proto__` and friends never come from the prototype. */
export function own(object: JsonObject, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

export function requireObject(value: unknown, field: string, what: string): JsonObject {
  if (!isObject(value)) fail(field, `${what} must be a JSON object, got ${describeValue(value)}`);
  return value;
}

export function optionalObject(value: unknown, field: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  return requireObject(value, field, field);
}

export interface IdentityRules {
  min: number;
  max: number;
}

/**
 * Identity fields (names, ids, keys of rows and series) must be clean text: no control characters,
 * no lone surrogates and no U+FFFD (what invalid UTF-8 becomes), since they key rows and series.
 */
export function checkIdentity(value: unknown, field: string, rules: IdentityRules): string {
  const range = rules.min === rules.max ? `${rules.max}` : `${rules.min}..${rules.max}`;
  if (typeof value !== 'string') fail(field, `${field} must be a string of ${range} characters, got ${describeValue(value)}`);
  if (value.length < rules.min || value.length > rules.max) {
    fail(field, `${field} must be ${range} characters long, got ${value.length}${value.length > 0 ? `: ${describeValue(value)}` : ''}`);
  }
  if (value.trim().length === 0) fail(field, `${field} must not be blank`);
  if (hasControlChar(value)) fail(field, `${field} must not contain control characters, got ${describeValue(value)}`);
  if (hasLoneSurrogate(value)) fail(field, `${field} contains an unpaired UTF-16 surrogate (not valid Unicode text)`);
  if (value.includes('\ufffd')) fail(field, `${field} contains U+FFFD: the sender's text was not valid UTF-8`);
  return value;
}

/** An optional identity field: absent and null both mean "not given". */
export function optionalIdentity(value: unknown, field: string, rules: IdentityRules): string | undefined {
  return value === undefined || value === null ? undefined : checkIdentity(value, field, rules);
}

export function checkEnum<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  return fail(field, `${field} must be one of ${allowed.join(', ')}, got ${describeValue(value)}`);
}

export function checkTimestamp(value: unknown, field: string, options: { lenientOffset?: boolean } = {}): number {
  const millis = typeof value === 'string' ? parseRfc3339(value, options) : null;
  if (millis === null) {
    fail(field, `${field} must be an RFC 3339 timestamp with a time zone (e.g. 2024-05-01T12:00:00Z) in the years 2000-2100, got ${describeValue(value)}`);
  }
  return millis;
}

/** Free text: any string within a UTF-8 byte budget. */
export function optionalText(value: unknown, field: string, maxBytes: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail(field, `${field} must be a string, got ${describeValue(value)}`);
  if (value.length > maxBytes || utf8ByteLength(value) > maxBytes) {
    fail(field, `${field} must be at most ${maxBytes} bytes of UTF-8, got ${utf8ByteLength(value)} bytes`);
  }
  return value;
}

export function optionalFiniteNumber(value: unknown, field: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(field, `${field} must be a finite number, got ${describeValue(value)}`);
  return value;
}

export const LABEL_KEY_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]{0,127}$/;
export const MAX_LABELS = 64;
export const MAX_LABEL_VALUE_LENGTH = 1024;

/** Why a label key is not accepted, or null when it is. */
export function labelKeyProblem(key: string): string | null {
  if (!LABEL_KEY_PATTERN.test(key)) return `must match ${LABEL_KEY_PATTERN.source}`;
  // Prometheus reserves `__`-prefixed names for internal use, and refusing them keeps `__proto__` out of every object.
  if (key.startsWith('__')) return 'must not start with "__" (reserved)';
  return null;
}

/**
 * Validates a label map, merging it over `base` (later maps win). Values are returned raw;
 * the caller strips PII after computing identity hashes.
 */
export function mergeLabels(sources: readonly { value: unknown; field: string }[]): Map<string, string> {
  const labels = new Map<string, string>();
  for (const source of sources) {
    if (source.value === undefined || source.value === null) continue;
    const object = requireObject(source.value, source.field, source.field);
    for (const key of Object.keys(object)) {
      const problem = labelKeyProblem(key);
      if (problem !== null) fail(source.field, `label name ${describeValue(key)} in ${source.field} ${problem}`);
      const value = object[key];
      const field = `${source.field}.${key}`;
      if (typeof value !== 'string') fail(field, `${field} must be a string, got ${describeValue(value)}`);
      if (value.length > MAX_LABEL_VALUE_LENGTH) {
        fail(field, `${field} must be at most ${MAX_LABEL_VALUE_LENGTH} characters, got ${value.length}`);
      }
      labels.set(key, value);
      if (labels.size > MAX_LABELS) fail(source.field, `${source.field} must have at most ${MAX_LABELS} entries`);
    }
  }
  return labels;
}

/** The payload's optional `tenant` must be well formed and equal the caller's; the result is always the caller's. */
export function resolveTenant(payload: JsonObject, context: ParseContext): string {
  const callerTenant: unknown = isObject(context) ? own(context, 'tenant') : undefined;
  if (typeof callerTenant !== 'string' || !TENANT_PATTERN.test(callerTenant)) {
    fail('tenant', `the caller's tenant ${describeValue(callerTenant)} is not a valid tenant name (${TENANT_PATTERN.source})`);
  }
  const given = own(payload, 'tenant');
  if (given === undefined || given === null) return callerTenant;
  if (typeof given !== 'string' || !TENANT_PATTERN.test(given)) {
    fail('tenant', `tenant must match ${TENANT_PATTERN.source}, got ${describeValue(given)}`);
  }
  if (given !== callerTenant) {
    throw new FieldFailure(forbidden('tenant', `tenant ${describeValue(given)} is not the tenant of this token; omit it or send "${callerTenant}"`).error);
  }
  return callerTenant;
}
