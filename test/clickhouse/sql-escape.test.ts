import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlIdentifier, sqlList, sqlLiteral, sqlNumber, sqlString, wellFormed } from '../../shared/clickhouse/sql-escape.js';
import { createTestDatabase, type TestDatabase } from './clickhouse-test-db.js';

// A seeded generator, so a failing fuzz case can be reproduced from the printed seed.
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  "'); DROP TABLE alerts; --", "\\", "\\\\", "'", "''", "\\'", '"', '`', '\0', '\n', '\r', '\t', '\b', '\f', '\v', '\x07',
  '\x7f', '\x1b[31m', '--', '/*', '*/', ';', '{x:String}', '$1', '?', 'é', 'ß', '中文', '😀', '👩‍👩‍👧', '\u202e', '\ufeff',
  '\ud800', '\udfff', '\udc00\ud800', ' FORMAT TSV', ' SETTINGS readonly=0', 'x\\u0041', '\\x41', '\\N', 'NULL',
];

function randomString(next: () => number): string {
  const parts: string[] = [];
  const count = Math.floor(next() * 8);
  for (let i = 0; i < count; i++) {
    const r = next();
    if (r < 0.45) parts.push(FRAGMENTS[Math.floor(next() * FRAGMENTS.length)] ?? '');
    else if (r < 0.7) parts.push(String.fromCharCode(Math.floor(next() * 0x80)));
    else if (r < 0.9) parts.push(String.fromCharCode(Math.floor(next() * 0x10000)));
    else parts.push(String.fromCodePoint(0x10000 + Math.floor(next() * 0xfffff)));
  }
  return parts.join('');
}

describe('SQL literals (pure)', () => {
  it('escapes quotes, backslashes and control characters', () => {
    expect(sqlString("it's")).toBe("'it\\'s'");
    expect(sqlString('a\\b')).toBe("'a\\\\b'");
    expect(sqlString('\0\n\t\r\x01\x7f')).toBe("'\\0\\n\\t\\r\\x01\\x7f'");
    expect(sqlIdentifier('odd`name')).toBe('`odd\\`name`');
  });

  it('replaces lone surrogates with U+FFFD and keeps valid pairs', () => {
    expect(wellFormed('a\ud800b\udc00c😀')).toBe('a\ufffdb\ufffdc😀');
    expect(sqlString('\ud83d')).toBe("'\ufffd'");
  });

  it('makes 20,000 hostile random strings well formed exactly as the lone-surrogate regex did', () => {
    const next = random(11);
    for (let i = 0; i < 20_000; i++) {
      const value = randomString(next);
      expect(wellFormed(value)).toBe(value.replace(/\p{Surrogate}/gu, '\uFFFD'));
    }
  });

  it('writes only finite numbers and parenthesises negatives', () => {
    expect(sqlNumber(42)).toBe('42');
    expect(sqlNumber(-5)).toBe('(-5)');
    expect(sqlNumber(-0)).toBe('0');
    expect(sqlNumber(5e-324)).toBe('0');
    expect(sqlNumber(-12n)).toBe('(-12)');
    expect(() => sqlNumber(Number.NaN)).toThrow(/finite/);
    expect(() => sqlNumber(Number.POSITIVE_INFINITY)).toThrow(/finite/);
    expect(() => sqlNumber('1; DROP' as unknown as number)).toThrow(/finite/);
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(true)).toBe('1');
    expect(sqlList(['a', 1])).toBe("('a', 1)");
  });

  it('refuses values that cannot be a literal or identifier', () => {
    expect(() => sqlList([])).toThrow(/at least one/);
    expect(() => sqlIdentifier('')).toThrow(/identifier/);
    expect(() => sqlIdentifier('a\0b')).toThrow(/identifier/);
    expect(() => sqlString(1 as unknown as string)).toThrow(/expects a string/);
  });
});

describe('SQL literals against the real server', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  async function selectStrings(values: string[]): Promise<string[]> {
    const result = await db.client.query({
      query: `SELECT arrayJoin([${values.map(sqlString).join(', ')}]) AS s`,
      format: 'JSONEachRow',
    });
    return (await result.json<{ s: string }>()).map((r) => r.s);
  }

  it('round-trips 2,500 hostile random strings exactly through SELECT', async () => {
    const seed = Number(process.env.HUSH_FUZZ_SEED ?? Date.now() % 1_000_000);
    const next = random(seed);
    const values = Array.from({ length: 2500 }, () => randomString(next));
    values.push(...FRAGMENTS, "'); DROP TABLE alerts; --", '', '\\'.repeat(9), "'".repeat(9));
    for (let i = 0; i < values.length; i += 250) {
      const chunk = values.slice(i, i + 250);
      expect(await selectStrings(chunk), `fuzz seed ${seed}`).toEqual(chunk.map(wellFormed));
    }
  });

  it('returns each hostile string as one value, never as SQL', async () => {
    await db.client.command({ query: 'CREATE TABLE canary (x UInt8) ENGINE = Memory' });
    const hostile = ["'); DROP TABLE canary; --", "\\'); DROP TABLE canary; --", "' || (SELECT 1) || '"];
    expect(await selectStrings(hostile)).toEqual(hostile);
    const tables = await db.client.query({ query: 'SHOW TABLES', format: 'JSONEachRow' });
    expect((await tables.json<{ name: string }>()).map((t) => t.name)).toContain('canary');
  });

  it('stores a lone surrogate as U+FFFD, the same as the UTF-8 encoder would', async () => {
    const [s] = await selectStrings(['a\ud800b']);
    expect(s).toBe('a\ufffdb');
  });

  it('round-trips identifiers with quotes and backticks', async () => {
    const names = ['plain', 'with space', 'back`tick', "quo'te", 'back\\slash', 'ünï😀'];
    const result = await db.client.query({
      query: `SELECT ${names.map((n, i) => `${i} AS ${sqlIdentifier(n)}`).join(', ')}`,
      format: 'JSONEachRow',
    });
    const [row] = await result.json<Record<string, number>>();
    expect(Object.keys(row ?? {})).toEqual(names);
  });

  it('round-trips numbers, including extremes 18.16 can parse', async () => {
    const numbers = [0, 1, -1, 0.1, -2.5e-300, 1.7976931348623157e308, -1.7976931348623157e308, 2 ** 53, 123.456, -0.000001];
    const result = await db.client.query({
      query: `SELECT arrayJoin([${numbers.map((n) => `toFloat64(${sqlNumber(n)})`).join(', ')}]) AS v`,
      format: 'JSONEachRow',
    });
    expect((await result.json<{ v: number }>()).map((r) => r.v)).toEqual(numbers);
    const subtract = await db.client.query({ query: `SELECT 1-${sqlNumber(-5)} AS v`, format: 'JSONEachRow' });
    expect(await subtract.json()).toEqual([{ v: 6 }]);
  });
});
