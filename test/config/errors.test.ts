import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, HushError, coerceError, type ErrorCode } from '../../shared/errors/index.js';

const DOCS = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

/** `| \`HUSH_ERR_X\` | 400 | meaning |` rows of docs/errors.md, by code. */
function documentedRows(): Map<string, { status: number; meaning: string }> {
  const rows = new Map<string, { status: number; meaning: string }>();
  for (const line of DOCS.split('\n')) {
    const match = /^\|\s*`(HUSH_ERR_[A-Z_]+)`\s*\|\s*(\d{3})\s*\|\s*(.+?)\s*\|\s*$/.exec(line);
    if (match) rows.set(match[1] as string, { status: Number(match[2]), meaning: match[3] as string });
  }
  return rows;
}

describe('the error code registry', () => {
  const codes = Object.keys(ERROR_CODES) as ErrorCode[];

  it('holds unique HUSH_ERR_ codes, each with an HTTP error status and a meaning', () => {
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) {
      expect(code).toMatch(/^HUSH_ERR_[A-Z_]+$/);
      const { status, meaning } = ERROR_CODES[code];
      expect(Number.isInteger(status) && status >= 400 && status <= 599, `${code} status ${status}`).toBe(true);
      expect(meaning.length, `${code} meaning`).toBeGreaterThan(10);
    }
  });

  it('is documented in docs/errors.md, one row per code with the same status', () => {
    const documented = documentedRows();
    for (const code of codes) {
      expect(documented.has(code), `${code} is missing from docs/errors.md`).toBe(true);
      expect(documented.get(code)?.status, `status of ${code} in docs/errors.md`).toBe(ERROR_CODES[code].status);
    }
    expect([...documented.keys()].filter((code) => !(code in ERROR_CODES)), 'codes documented but not in ERROR_CODES').toEqual([]);
    const occurrences = codes.map((code) => DOCS.split('\n').filter((line) => line.startsWith(`| \`${code}\``)).length);
    expect(occurrences.every((n) => n === 1)).toBe(true);
  });
});

describe('HushError', () => {
  it('carries its code, the status of that code and a JSON body of code and message', () => {
    const err = new HushError('HUSH_ERR_FORBIDDEN_TENANT', 'token belongs to acme, payload to globex');
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('HushError');
    expect(err.code).toBe('HUSH_ERR_FORBIDDEN_TENANT');
    expect(err.status).toBe(403);
    expect(JSON.parse(JSON.stringify(err))).toEqual({ code: 'HUSH_ERR_FORBIDDEN_TENANT', message: 'token belongs to acme, payload to globex' });
    expect(err.stack).toContain('HushError');
  });

  it('keeps the cause it was given', () => {
    const cause = new Error('ECONNREFUSED');
    expect(new HushError('HUSH_ERR_UNAVAILABLE', 'redis is down', { cause }).cause).toBe(cause);
  });
});

describe('coerceError', () => {
  it('returns an Error unchanged', () => {
    const err = new TypeError('boom');
    expect(coerceError(err)).toBe(err);
    const hush = new HushError('HUSH_ERR_INTERNAL', 'x');
    expect(coerceError(hush)).toBe(hush);
  });

  it('turns a thrown string into an Error with that message, keeping the string as cause', () => {
    const err = coerceError('plain failure');
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe('plain failure');
    expect(err.cause).toBe('plain failure');
  });

  it('describes a thrown object as JSON and keeps the very object as cause', () => {
    const thrown = { code: 42, reason: 'nope' };
    const err = coerceError(thrown);
    expect(err.message).toBe('non-error thrown: {"code":42,"reason":"nope"}');
    expect(err.cause).toBe(thrown);
  });

  it('describes values JSON cannot render', () => {
    expect(coerceError(undefined).message).toBe('non-error thrown: undefined');
    expect(coerceError(null).message).toBe('non-error thrown: null');
    expect(coerceError(10n).message).toBe('non-error thrown: 10');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const err = coerceError(circular);
    expect(err.message).toBe('non-error thrown: [object Object]');
    expect(err.cause).toBe(circular);
  });
});
