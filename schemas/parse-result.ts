/** One validation failure: a stable code, the offending field (`startsAt`, `labels.team`) and a message saying what was expected. */
export interface FieldError {
  code: 'HUSH_ERR_VALIDATION' | 'HUSH_ERR_FORBIDDEN_TENANT';
  field: string;
  message: string;
}

/** The outcome of parsing untrusted input: never thrown, always returned. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: FieldError };

/** Who is calling: the tenant of the caller's API token (or of the producing service). */
export interface ParseContext {
  tenant: string;
  /**
   * Epoch ms at which the gateway received the payload. Only used for PagerDuty events that carry
   * no `payload.timestamp` (PagerDuty itself stamps such events on receipt).
   * @defaultValue `Date.now()` at parse time
   */
  receivedAt?: number;
}

/** The `field` used when the input as a whole is wrong (not an object, unreadable). */
export const ROOT_FIELD = '(root)';

export function invalid(field: string, message: string): { ok: false; error: FieldError } {
  return { ok: false, error: { code: 'HUSH_ERR_VALIDATION', field, message } };
}

export function forbidden(field: string, message: string): { ok: false; error: FieldError } {
  return { ok: false, error: { code: 'HUSH_ERR_FORBIDDEN_TENANT', field, message } };
}
