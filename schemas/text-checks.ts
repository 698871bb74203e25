import { stripPii } from '../shared/pii/strip-pii.js';

/** C0 and C1 control characters and DEL: never legitimate in names, and a log/terminal injection vector. */
const CONTROL_CHAR = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]+/g;
/** A UTF-16 surrogate without its partner: JSON allows `"\ud800"`, but it is not text and breaks UTF-8 encoders. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function hasControlChar(text: string): boolean {
  return CONTROL_CHAR.test(text);
}

export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** Replaces lone surrogates with U+FFFD, as a UTF-8 encoder would (`String#toWellFormed` is ES2024). */
export function toWellFormed(text: string): string {
  return LONE_SURROGATE.test(text) ? text.replace(LONE_SURROGATES, '\ufffd') : text;
}

/** Replaces runs of control characters with one space (for free text promoted to a name). */
export function collapseControlChars(text: string): string {
  return text.replace(CONTROL_CHARS, ' ');
}

export function utf8ByteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Cuts `text` to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes || utf8ByteLength(text) <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/** Cuts `text` to at most `maxUnits` UTF-16 units without splitting a surrogate pair. */
export function truncateUnits(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  const last = text.charCodeAt(maxUnits - 1);
  const cut = last >= 0xd800 && last <= 0xdbff ? maxUnits - 1 : maxUnits;
  return text.slice(0, cut);
}

const ECHO_LIMIT = 64;

/**
 * Describes a rejected value for an error message: strings are quoted, cut to 64 characters and
 * PII-stripped (messages end up in logs); other values are named by their type.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const cut = value.length > ECHO_LIMIT ? `${truncateUnits(value, ECHO_LIMIT)}…` : value;
    return JSON.stringify(stripPii(cut));
  }
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isFinite(value) ? `the number ${value}` : `the number ${String(value)}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
