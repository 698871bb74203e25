import { HushError } from '../errors/index.js';

/**
 * The one place where values become SQL text (DESIGN §7). ClickHouse 18.16 has no query parameters,
 * so every value that reaches a statement goes through these functions.
 */

// Backslash escapes that 18.16's string and quoted-identifier parsers understand. Other C0 controls
// and DEL become \xHH so statements stay printable in logs; everything else passes through as UTF-8.
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '`': '\\`',
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

const NEEDS_ESCAPE = /[\\'`\x00-\x1f\x7f]/g;

function escapeChar(ch: string): string {
  return ESCAPES[ch] ?? `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/**
 * Makes a JS string valid UTF-16 by replacing lone surrogates with U+FFFD, exactly what the UTF-8
 * encoder does to them on the way to the server. Applied before quoting, and by the row converters,
 * because 18.16 rejects a JSON `\ud800` escape and would fail a whole insert batch for it.
 */
export function wellFormed(value: string): string {
  // The check is free for V8's one-byte strings, where a regex replace allocates even when nothing matches.
  return value.isWellFormed() ? value : value.toWellFormed();
}


/** A single-quoted ClickHouse string literal; round-trips any string (lone surrogates become U+FFFD). */
export function sqlString(value: string): string {
  if (typeof value !== 'string') throw new HushError('HUSH_ERR_INTERNAL', `sqlString expects a string, got ${typeof value}`);
  return `'${wellFormed(value).replace(NEEDS_ESCAPE, escapeChar)}'`;
}

/** A back-quoted identifier (database, table, column). Empty names and NUL are refused. */
export function sqlIdentifier(name: string): string {
  if (typeof name !== 'string' || name === '' || name.includes('\0')) {
    throw new HushError('HUSH_ERR_INTERNAL', `invalid ClickHouse identifier ${JSON.stringify(name)}`);
  }
  return `\`${wellFormed(name).replace(NEEDS_ESCAPE, escapeChar)}\``;
}

// 18.16's number parser rejects subnormal literals (strtod underflow) and its Float64 cannot parse
// them from text either, so they are written as 0 — far below any threshold or score Hush compares.
const SMALLEST_NORMAL = 2.2250738585072014e-308;

/**
 * A numeric literal. Only finite numbers and bigints; negatives are parenthesised so that a literal
 * after a minus sign can never form a `--` comment. Subnormals are written as 0 (see above).
 */
export function sqlNumber(value: number | bigint): string {
  if (typeof value === 'bigint') return value < 0n ? `(${value})` : String(value);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new HushError('HUSH_ERR_INTERNAL', `SQL numbers must be finite, got ${String(value)}`);
  }
  if (value === 0 || Math.abs(value) < SMALLEST_NORMAL) return '0';
  return value < 0 ? `(${value})` : String(value);
}

/** A literal for any supported value: strings, finite numbers, bigints, booleans (as 1/0) and null. */
export function sqlLiteral(value: string | number | bigint | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return sqlString(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  return sqlNumber(value);
}

/** A parenthesised, comma-separated list for `IN (…)`; an empty list is refused (invalid SQL). */
export function sqlList(values: readonly (string | number | bigint)[]): string {
  if (values.length === 0) throw new HushError('HUSH_ERR_INTERNAL', 'sqlList needs at least one value');
  return `(${values.map((v) => sqlLiteral(v)).join(', ')})`;
}
