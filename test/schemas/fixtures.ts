import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { FieldError, ParseResult } from '../../schemas/parse-result.js';

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** Asserts a failed result and returns its error. */
export function errorOf<T>(result: ParseResult<T>): FieldError {
  if (result.ok) throw new Error(`expected a FieldError, got ok: ${JSON.stringify(result.value)}`);
  return result.error;
}

export function valueOf<T>(result: ParseResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

export function expectFieldError<T>(result: ParseResult<T>, field: string, code: FieldError['code'] = 'HUSH_ERR_VALIDATION'): FieldError {
  const error = errorOf(result);
  expect(error.field).toBe(field);
  expect(error.code).toBe(code);
  expect(error.message.length).toBeGreaterThan(0);
  return error;
}
