const STRICT = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
/** Also `+0000` and `+00`: PagerDuty's own examples use `2015-07-17T08:42:58.315+0000`. */
const LENIENT_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):?(\d{2})?)$/;

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/**
 * Parses an RFC 3339 date-time with a time zone into epoch ms (fractions beyond ms are truncated).
 * Returns null for anything else, including impossible dates and years outside 2000–2100.
 */
export function parseRfc3339(text: string, options: { lenientOffset?: boolean } = {}): number | null {
  if (text.length > 40) return null;
  const match = (options.lenientOffset ? LENIENT_OFFSET : STRICT).exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, sign, offH, offM] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (year < MIN_YEAR || year > MAX_YEAR) return null;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  // 60 is a leap second; Date.UTC carries it into the next minute.
  if (hour > 23 || minute > 59 || second > 60) return null;
  let offsetMinutes = 0;
  if (sign !== undefined) {
    const offsetHours = Number(offH);
    const offsetMins = offM === undefined ? 0 : Number(offM);
    if (offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}
