import { isIPv6 } from 'node:net';
import { isLuhnValid } from './luhn.js';

// Every pattern is compiled once at module load; stripPii runs on the scoring hot path.
// Global patterns anchor their start with a look-behind so a failed match costs one step per
// position instead of rescanning a run (keeps each pass linear). Each pass still visits every
// position, so the three broadest patterns are sticky instead: they run only at candidate starts
// found by a character loop (`@`, `:`, long token runs), and one table-driven pre-scan (`scan`)
// skips every pattern whose necessary characters are absent.
// Order matters: secrets first (a JWT or `password=` value may contain anything), then e-mails
// (they contain dots and digits), addresses, cards (before phones: a card is a longer digit run),
// phones, and finally the generic long-token rule.

/**
 * `password=…`, `api_key: …`, `"client_secret": "…"`; keeps the key so the text stays readable.
 * A value starting with an auth scheme is left to AUTH_SCHEME, so `Authorization: Bearer <secret>` reads well.
 */
const KEY_VALUE_SECRET =
  /(?<![\w.-])([\w.-]*?(?:passwd|password|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|authorization))(["']?\s*[:=]\s*)(?!(?:bearer|basic|token)\s)("[^"]*"|'[^']*'|[^\s,;&"'<>)}\]]+)/gi;
/** HTTP auth schemes followed by a credential; the scheme word is kept. */
const AUTH_SCHEME = /(?<![\w-])(bearer|basic|token)(\s+)([A-Za-z0-9._~+/-]{8,}=*)/gi;
/** JSON Web Tokens: base64url header starting `{"` (eyJ), payload, optional signature. */
const JWT = /(?<![\w-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
/** AWS access key ids, GitHub tokens (classic and fine-grained), Slack tokens. */
const VENDOR_TOKEN =
  /(?<![A-Za-z0-9])(?:(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}|gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}|xox[abposr]-[A-Za-z0-9-]{10,})(?![A-Za-z0-9])/g;

/** Sticky: run only at the start of the local part before an `@` (see `emailStarts`). */
const EMAIL = /[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])/y;

/** Sticky, run at the start of each hex-and-colon run; `net.isIPv6` decides (times like 10:20:30 and MAC addresses fail there). */
const IPV6_CANDIDATE =
  /(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?(?:%[0-9A-Za-z]+)?(?![\w:])/y;
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/** Four dotted octets; three-part versions (1.2.3) and dates never match. */
const IPV4 = new RegExp(`(?<![\\w.])${OCTET}(?:\\.${OCTET}){3}(?!\\w|\\.\\d)`, 'g');

/** 13–19 digits, optionally grouped by spaces or dashes, starting 2–6 (every issuer; excludes epoch-ms timestamps, which start with 1). */
const CARD_CANDIDATE = /(?<![\w.+-])[2-6](?:[ -]?\d){12,18}(?![\w]|[.-]\d)/g;

/**
 * International numbers (+CC …) and common national layouts: (555) 123-4567, 555-123-4567,
 * 555.123.4567, trunk-prefixed 020 7946 0958 / 0171 1234567 / 030/1234567, French 01 23 45 67 89.
 * A digit count check follows; plain numbers, dates and versions lack these shapes.
 */
const PHONE =
  /(?<![\w.+/-])(?:\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d){6,14}|\(\d{2,5}\) ?\d{3,4}[ .-]?\d{3,4}|\d{3}([.-])\d{3}\1\d{4}|0\d{2,4}[ /-]?\d{3,4}[ -]?\d{3,5}|0[1-9](?:[ .]\d{2}){4})(?![\w]|[.-]\d)/g;

/** Hex or base64(url) runs of 32+ characters; see `isLikelySecret` for which count as secrets. */
const LONG_TOKEN = /[A-Za-z0-9+/_-]{32,}={0,2}(?![\w+/=-])/y;
const HEX_ONLY = /^[0-9A-Fa-f]+$/;

const HAS_DIGIT = /\d/;
/** Cheap gate for the two keyword rules above (no look-behind, so V8 can scan for it quickly). */
const SECRET_WORD = /passw|pwd|secret|token|key|credential|authoriz|bearer|basic/i;

function isTokenChar(code: number): boolean {
  // [A-Za-z0-9+/_=-]: hex, base64, base64url and vendor token alphabets.
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 43 || code === 47 || code === 95 || code === 61 || code === 45
  );
}

function isEmailLocalChar(code: number): boolean {
  // [\w.%+-]
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 46 || code === 37 || code === 43 || code === 45;
}

function isHexOrColon(code: number): boolean {
  return (code >= 48 && code <= 58) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

function isWordOrDot(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 46;
}

/** Runs `sticky` at each candidate start (ascending) and replaces what it matches. */
function replaceAt(text: string, starts: readonly number[], sticky: RegExp, replace: (match: string) => string): string {
  let out = '';
  let last = 0;
  for (const start of starts) {
    if (start < last) continue;
    sticky.lastIndex = start;
    const match = sticky.exec(text);
    if (match === null) continue;
    out += text.slice(last, start) + replace(match[0]);
    last = start + match[0].length;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** Start of the local part before each `@` (the look-behind `(?<![\w.%+-])` made explicit). */
function emailStarts(text: string): number[] {
  const starts: number[] = [];
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && isEmailLocalChar(text.charCodeAt(start - 1))) start--;
    if (start < at) starts.push(start);
  }
  return starts;
}

/** Start of each run of hex digits and colons that is not glued to a word or a dot. */
function ipv6Starts(text: string): number[] {
  const starts: number[] = [];
  for (let colon = text.indexOf(':'); colon !== -1; ) {
    let start = colon;
    while (start > 0 && isHexOrColon(text.charCodeAt(start - 1))) start--;
    let end = colon + 1;
    while (end < text.length && isHexOrColon(text.charCodeAt(end))) end++;
    if (start === 0 || !isWordOrDot(text.charCodeAt(start - 1))) starts.push(start);
    colon = text.indexOf(':', end);
  }
  return starts;
}

/** Start of each maximal run of 32+ token characters. */
function longRunStarts(text: string): number[] {
  const starts: number[] = [];
  let run = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && isTokenChar(text.charCodeAt(i))) {
      run++;
    } else {
      if (run >= 32) starts.push(i - run);
      run = 0;
    }
  }
  return starts;
}

function replaceIpv6(candidate: string): string {
  const percent = candidate.indexOf('%');
  const address = percent === -1 ? candidate : candidate.slice(0, percent);
  return isIPv6(address) ? '<ip>' : candidate;
}

function replaceCard(candidate: string): string {
  const digits = candidate.replace(/[ -]/g, '');
  return digits.length >= 13 && digits.length <= 19 && isLuhnValid(digits) ? '<card>' : candidate;
}

function replaceAuthScheme(match: string, scheme: string, space: string, credential: string): string {
  // Prose like "token validation failed" has no digit and is short; credentials have either.
  return HAS_DIGIT.test(credential) || credential.length >= 20 ? `${scheme}${space}<secret>` : match;
}

function replacePhone(candidate: string): string {
  let digits = 0;
  for (let i = 0; i < candidate.length; i++) {
    const code = candidate.charCodeAt(i);
    if (code >= 48 && code <= 57) digits++;
  }
  // E.164 allows at most 15 digits; fewer than 7 is an extension, a count or a time.
  return digits >= 7 && digits <= 15 ? '<phone>' : candidate;
}

function countClasses(token: string): { upper: number; lower: number; digit: number } {
  let upper = 0;
  let lower = 0;
  let digit = 0;
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code >= 65 && code <= 90) upper++;
    else if (code >= 97 && code <= 122) lower++;
    else if (code >= 48 && code <= 57) digit++;
  }
  return { upper, lower, digit };
}

/** Paths (/api/v1/Users/12345/Orders) have several short segments; random base64 rarely does. */
function looksLikePath(token: string): boolean {
  const segments = token.split('/');
  return segments.length >= 3 && segments.every((segment) => segment.length < 16);
}

/**
 * All-hex runs are keys or digests; other runs must mix cases and digits (two of each) like random
 * base64 does, so long metric names (kube_pod_container_status_restarts_total), paths and UUIDs stay.
 */
function replaceLongToken(token: string): string {
  if (HEX_ONLY.test(token)) return '<secret>';
  if (looksLikePath(token)) return token;
  const { upper, lower, digit } = countClasses(token);
  return upper >= 2 && lower >= 2 && digit >= 2 ? '<secret>' : token;
}

const TOKEN = 1;
const DIGIT = 2;
const AT = 4;
const COLON = 8;
const EQUALS = 16;
const DOT = 32;
/** Characters a phone, card or IPv4 number may contain besides digits: space . - ( ) / + */
const NUMBER_PUNCT = 64;
const UPPER = 128;
/** Character classes of ASCII, so the pre-scan is one table load per character. */
const CHAR_CLASS = new Uint8Array(128);
for (let code = 0; code < 128; code++) CHAR_CLASS[code] = isTokenChar(code) ? TOKEN : 0;
for (let code = 48; code <= 57; code++) CHAR_CLASS[code] = TOKEN | DIGIT;
for (let code = 65; code <= 90; code++) CHAR_CLASS[code] = TOKEN | UPPER;
for (const char of ' ().') CHAR_CLASS[char.charCodeAt(0)] = NUMBER_PUNCT;
for (const char of '-/+') CHAR_CLASS[char.charCodeAt(0)] = TOKEN | NUMBER_PUNCT;
CHAR_CLASS[46] = DOT | NUMBER_PUNCT;
CHAR_CLASS[64] = AT;
CHAR_CLASS[58] = COLON;
CHAR_CLASS[61] = TOKEN | EQUALS;

/** What one pass over the text found; each pattern below is only run when its necessary condition holds. */
interface TextShape {
  flags: number;
  /** Longest run of [A-Za-z0-9+/_=-]: JWTs, vendor tokens and long secrets need 20+. */
  longestToken: number;
  /** Longest run of [A-Z0-9]: AWS access key ids are 20. */
  longestUpper: number;
  /** Most digits in one run of digits and number punctuation: phones need 7, cards 13. */
  mostDigits: number;
  /** A run with 4+ digits and 3+ dots exists (an IPv4 address is one). */
  dottedQuad: boolean;
}

function scan(text: string): TextShape {
  let flags = 0;
  let token = 0;
  let longestToken = 0;
  let upper = 0;
  let longestUpper = 0;
  let digits = 0;
  let dots = 0;
  let mostDigits = 0;
  let dottedQuad = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const kind = code < 128 ? (CHAR_CLASS[code] ?? 0) : 0;
    flags |= kind;
    if (kind & TOKEN) {
      if (++token > longestToken) longestToken = token;
    } else {
      token = 0;
    }
    if (kind & (DIGIT | UPPER)) {
      if (++upper > longestUpper) longestUpper = upper;
    } else {
      upper = 0;
    }
    if (kind & DIGIT) {
      if (++digits > mostDigits) mostDigits = digits;
      if (dots >= 3 && digits >= 4) dottedQuad = true;
    } else if (kind & NUMBER_PUNCT) {
      if (kind & DOT) dots++;
    } else {
      digits = 0;
      dots = 0;
    }
  }
  return { flags, longestToken, longestUpper, mostDigits, dottedQuad };
}

/**
 * Replaces personal data and secrets in free text with typed placeholders: `<email>`, `<ip>`,
 * `<phone>`, `<secret>`, `<card>`. Idempotent; never throws.
 */
export function stripPii(text: string): string {
  if (text.length < 7) return text;
  // Replacements only remove characters the gates look for, so the shape of the input stays a safe upper bound.
  const shape = scan(text);
  let out = text;
  if (SECRET_WORD.test(out)) {
    if (shape.flags & (COLON | EQUALS)) out = out.replace(KEY_VALUE_SECRET, '$1$2<secret>');
    out = out.replace(AUTH_SCHEME, replaceAuthScheme);
  }
  if (shape.longestToken >= 20 && out.includes('eyJ')) out = out.replace(JWT, '<secret>');
  if (shape.longestUpper >= 20 || (shape.longestToken >= 14 && (out.includes('gh') || out.includes('xox')))) {
    out = out.replace(VENDOR_TOKEN, '<secret>');
  }
  if (shape.flags & AT) out = replaceAt(out, emailStarts(out), EMAIL, () => '<email>');
  if (shape.flags & COLON) out = replaceAt(out, ipv6Starts(out), IPV6_CANDIDATE, replaceIpv6);
  if (shape.dottedQuad) out = out.replace(IPV4, '<ip>');
  if (shape.mostDigits >= 13) out = out.replace(CARD_CANDIDATE, replaceCard);
  if (shape.mostDigits >= 7) out = out.replace(PHONE, replacePhone);
  if (shape.longestToken >= 32) out = replaceAt(out, longRunStarts(out), LONG_TOKEN, replaceLongToken);
  return out;
}
