import { describe, expect, it } from 'vitest';
import { featureRow, fromDateTime, msPart, toDateTime } from '../../shared/clickhouse/rows.js';

const T = Date.UTC(2024, 4, 1, 12, 30, 15, 250);

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

describe('toDateTime', () => {
  it('round-trips with msPart and fromDateTime, and refuses a time outside 1970–2106', () => {
    expect(fromDateTime(toDateTime(T), msPart(T))).toBe(T);
    expect(() => toDateTime(-1, 'startsAt')).toThrow('startsAt must be a time between 1970 and 2106');
  });
});
