import { describe, expect, it } from 'vitest';
import { alertRow, featureRow, fromDateTime, msPart, toDateTime } from '../../shared/clickhouse/rows.js';
import { Prng } from '../../synth/prng.js';

const T = Date.UTC(2024, 4, 1, 12, 30, 15, 250);

describe('alertRow', () => {
  it('stores the labels sorted by key in UTF-16 order, whatever their order in the alert', () => {
    const labels = { team: 'sre', '10': 'x', env: 'prod', '9': 'y', Zeta: 'z', é: 'e' };
    const row = alertRow({ id: 'a-1', tenant: 'acme', source: 's', name: 'n', service: 'api', severity: 'info', status: 'firing', startsAt: T, endsAt: null, summary: '', labels, value: null, fingerprint: 'f' }, T);
    expect(row.label_keys).toEqual(['10', '9', 'Zeta', 'env', 'team', 'é']);
    expect(row.label_values).toEqual(['x', 'y', 'z', 'prod', 'sre', 'e']);
  });
});

describe('featureRow', () => {
  it('stores the vector as plain numbers with the event time split into seconds and milliseconds', () => {
    const row = featureRow({ tenant: 'acme', alertId: 'a-1', eventTime: T, featureSchemaVersion: 2, values: Float32Array.of(0.5, -1, 3) }, T);
    expect(row).toMatchObject({ event_time: '2024-05-01 12:30:15', event_time_ms: 250, values: [0.5, -1, 3], computed_at: '2024-05-01 12:30:15' });
    expect(Array.isArray(row.values)).toBe(true);
  });

  it('rejects a non-finite value naming its index', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => featureRow({ tenant: 'acme', alertId: 'a-1', eventTime: T, featureSchemaVersion: 2, values: [1, 2, bad] })).toThrow(`values[2] must be a finite number, got ${bad}`);
    }
  });
});

// What toDateTime returned before it did its own calendar arithmetic: stored times must not change.
function isoDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

const MAX_DATETIME_MS = 4_294_967_295_000;

describe('toDateTime', () => {
  it('formats every year boundary, leap day and month end of 1970–2106 as the ISO string does', () => {
    const times = [0, -0, 0.5, 999, 1000, MAX_DATETIME_MS - 1, MAX_DATETIME_MS];
    for (let year = 1970; year <= 2106; year += 1) {
      for (let month = 0; month < 12; month += 1) {
        const start = Date.UTC(year, month, 1);
        times.push(start, start + 999.9, start - 1, start - 1000, start - 0.5, Date.UTC(year, month, 29, 23, 59, 59, 999));
      }
    }
    for (const ms of times.filter((t) => t >= 0 && t <= MAX_DATETIME_MS)) expect([ms, toDateTime(ms)]).toEqual([ms, isoDateTime(ms)]);
    expect(toDateTime(Date.UTC(2000, 1, 29, 1, 2, 3))).toBe('2000-02-29 01:02:03');
    expect(toDateTime(Date.UTC(2100, 2, 1))).toBe('2100-03-01 00:00:00');
    expect(toDateTime(MAX_DATETIME_MS)).toBe('2106-02-07 06:28:15');
  });

  it('formats 200,000 random times of 1970–2106 as the ISO string does', () => {
    const prng = new Prng(7, 'toDateTime');
    for (let i = 0; i < 200_000; i += 1) {
      const ms = i % 2 === 0 ? Math.floor(prng.next() * MAX_DATETIME_MS) : prng.next() * MAX_DATETIME_MS;
      const text = toDateTime(ms);
      if (text !== isoDateTime(ms)) expect([ms, text]).toEqual([ms, isoDateTime(ms)]);
    }
  });

  it('refuses negative, out-of-range and non-finite times naming the field and the value', () => {
    for (const bad of [-1, -0.5, -Number.MIN_VALUE, MAX_DATETIME_MS + 0.5, MAX_DATETIME_MS + 1000, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(() => toDateTime(bad, 'decidedAt')).toThrow(expect.objectContaining({ code: 'HUSH_ERR_VALIDATION', message: `decidedAt must be a time between 1970 and 2106, got ${bad}` }));
    }
  });

  it('round-trips with msPart and fromDateTime, and refuses a time outside 1970–2106', () => {
    expect(fromDateTime(toDateTime(T), msPart(T))).toBe(T);
    expect(() => toDateTime(-1, 'startsAt')).toThrow('startsAt must be a time between 1970 and 2106');
  });
});
