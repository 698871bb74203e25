import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../schemas/alert.js';
import { FEATURE_COUNT, FEATURE_NAMES, FEATURE_SCHEMA_VERSION, featureIndex, type FeatureName } from '../../workers/scoring/feature-schema.js';
import { FeatureStore, isNoDecision } from '../../workers/scoring/feature-store.js';
import { connectRedis, dropTenant, tenantKeys, uniqueTenant } from './redis-fixture.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** Wednesday 2024-03-06 09:00 UTC. */
const T0 = Date.UTC(2024, 2, 6, 9, 0);

let redis: Redis;
let store: FeatureStore;
const tenants: string[] = [];

beforeAll(() => {
  redis = connectRedis();
  store = new FeatureStore({ redis });
});

afterEach(async () => {
  await Promise.all(tenants.splice(0).map((tenant) => dropTenant(redis, tenant)));
});

afterAll(async () => {
  await redis.quit();
});

function newTenant(): string {
  const tenant = uniqueTenant();
  tenants.push(tenant);
  return tenant;
}

let sequence = 0;
/** A firing alert at T0 + `at` ms; fields default to one series of service `api`. */
function firing(tenant: string, at: number, fields: Partial<Alert> = {}): Alert {
  sequence += 1;
  return {
    id: `a-${sequence}`,
    tenant,
    source: 'prometheus',
    name: 'HighLatency',
    service: 'api',
    severity: 'warning',
    status: 'firing',
    startsAt: T0 + at,
    endsAt: null,
    summary: '',
    labels: {},
    value: null,
    fingerprint: 'fp-a',
    ...fields,
  };
}

/** The resolve of an occurrence that started at T0 + `from` and ended at T0 + `to`. */
function resolved(tenant: string, from: number, to: number, fields: Partial<Alert> = {}): Alert {
  return { ...firing(tenant, from, fields), status: 'resolved', endsAt: T0 + to };
}

function feature(vector: Float32Array | undefined, name: FeatureName): number {
  if (vector === undefined) throw new Error('missing vector');
  return vector[featureIndex(name)] as number;
}

async function observeOne(alert: Alert): Promise<Float32Array> {
  const [vector] = await store.observe([alert]);
  if (vector === undefined) throw new Error('no vector');
  return vector;
}

describe('feature schema', () => {
  it('is version 3 with unique names, one per vector slot', () => {
    expect(FEATURE_SCHEMA_VERSION).toBe(3);
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_COUNT);
    expect(FEATURE_COUNT).toBe(24);
  });
});

describe('FeatureStore', () => {
  it('describes a first alert by its own fields, with empty history and "never" sentinels', async () => {
    const tenant = newTenant();
    const v = await observeOne(firing(tenant, 0, { severity: 'critical', labels: { pod: 'p1', zone: 'z' }, value: -9 }));
    expect(v).toHaveLength(FEATURE_COUNT);
    expect([feature(v, 'sev_critical'), feature(v, 'sev_error'), feature(v, 'sev_warning'), feature(v, 'sev_info')]).toEqual([1, 0, 0, 0]);
    expect(feature(v, 'hour_sin')).toBeCloseTo(Math.sin((2 * Math.PI * 9) / 24), 6);
    expect(feature(v, 'hour_cos')).toBeCloseTo(Math.cos((2 * Math.PI * 9) / 24), 6);
    expect(feature(v, 'is_weekend')).toBe(0);
    expect(feature(v, 'label_count')).toBe(2);
    expect(feature(v, 'log1p_abs_value')).toBeCloseTo(Math.log1p(9), 6);
    expect(feature(v, 'has_value')).toBe(1);
    for (const name of ['fp_firings_1h', 'fp_firings_24h', 'fp_flaps_24h', 'rule_firings_1h', 'svc_cofiring_fps_5m', 'tenant_firing_5m', 'dup_other_source_5m'] as const) {
      expect(feature(v, name), name).toBe(0);
    }
    expect(feature(v, 'fp_log_secs_since_prev')).toBe(-1);
    expect(feature(v, 'fp_log_prev_duration')).toBe(-1);
    expect(feature(v, 'rule_actionable_rate')).toBe(0.5);
    expect(feature(v, 'rule_log_outcomes')).toBe(0);
  });

  it('reads the calendar from event time: a Saturday alert is a weekend alert whatever the wall clock says', async () => {
    const tenant = newTenant();
    const saturdayNoon = Date.UTC(2024, 2, 9, 12) - T0;
    const v = await observeOne(firing(tenant, saturdayNoon));
    expect(feature(v, 'is_weekend')).toBe(1);
    expect(feature(v, 'hour_cos')).toBeCloseTo(-1, 6);
    expect(feature(v, 'has_value')).toBe(0);
  });

  it('counts earlier firings of the fingerprint and the rule in the last hour and day', async () => {
    const tenant = newTenant();
    await store.observe([
      firing(tenant, -25 * HOUR), // outside 24 h of the last alert
      firing(tenant, -3 * HOUR),
      firing(tenant, -30 * MIN),
      firing(tenant, -10 * MIN, { fingerprint: 'fp-b' }), // same rule, other series
      firing(tenant, -5 * MIN, { name: 'OtherRule', fingerprint: 'fp-c' }),
    ]);
    const v = await observeOne(firing(tenant, 0));
    expect(feature(v, 'fp_firings_1h')).toBe(1);
    expect(feature(v, 'fp_firings_24h')).toBe(2);
    expect(feature(v, 'rule_firings_1h')).toBe(2);
    expect(feature(v, 'rule_firings_24h')).toBe(3);
    expect(feature(v, 'fp_log_secs_since_prev')).toBeCloseTo(Math.log1p(30 * 60), 5);
  });

  it('marks a firing within 15 minutes of the previous resolve as a flap and remembers the previous duration', async () => {
    const tenant = newTenant();
    const first = await observeOne(firing(tenant, 0));
    const resolve1 = await observeOne(resolved(tenant, 0, 2 * MIN));
    const second = await observeOne(firing(tenant, 10 * MIN)); // 8 min after the resolve: flap
    await observeOne(resolved(tenant, 10 * MIN, 12 * MIN));
    const third = await observeOne(firing(tenant, 40 * MIN)); // 28 min after the resolve: no flap

    expect(isNoDecision(resolve1)).toBe(true);
    expect(feature(first, 'fp_flaps_24h')).toBe(0);
    expect(feature(second, 'fp_flaps_24h')).toBe(1);
    expect(feature(second, 'fp_log_prev_duration')).toBeCloseTo(Math.log1p(120), 5);
    expect(feature(second, 'fp_log_secs_since_prev')).toBeCloseTo(Math.log1p(600), 5);
    expect(feature(third, 'fp_flaps_24h')).toBe(1);
    expect(feature(third, 'fp_log_prev_duration')).toBeCloseTo(Math.log1p(120), 5);
    expect(feature(third, 'fp_firings_1h')).toBe(2);
  });

  it('takes the previous duration from the recorded firing when the resolve carries no start of its own', async () => {
    const tenant = newTenant();
    const first = firing(tenant, 0);
    await observeOne(first);
    // A replayed resolve line (or a PagerDuty resolve): startsAt = endsAt = the moment it resolved.
    await observeOne({ ...first, status: 'resolved', startsAt: T0 + 3 * MIN, endsAt: T0 + 3 * MIN });
    const next = await observeOne(firing(tenant, HOUR));
    expect(feature(next, 'fp_log_prev_duration')).toBeCloseTo(Math.log1p(180), 5);

    // Neither a start in the payload nor a recorded firing: the duration is unknown, not zero.
    const other = newTenant();
    await observeOne({ ...firing(other, 0), status: 'resolved', startsAt: T0 + 3 * MIN, endsAt: T0 + 3 * MIN });
    expect(feature(await observeOne(firing(other, HOUR)), 'fp_log_prev_duration')).toBe(-1);
  });

  it('counts a flap whose resolve arrived after the next firing', async () => {
    const tenant = newTenant();
    await observeOne(firing(tenant, 0));
    await observeOne(firing(tenant, 10 * MIN)); // its resolve (at 5 min) is still in flight
    await observeOne(resolved(tenant, 0, 5 * MIN));
    const later = await observeOne(firing(tenant, 25 * MIN)); // 20 min after the resolve: not a flap itself
    expect(feature(later, 'fp_flaps_24h')).toBe(1);
    expect(feature(later, 'fp_log_prev_duration')).toBeCloseTo(Math.log1p(300), 5);
  });

  it('counts duplicates of the same rule and service from other sources only, within 5 minutes', async () => {
    const tenant = newTenant();
    await store.observe([
      firing(tenant, -7 * MIN, { source: 'datadog', fingerprint: 'dd-old' }), // too old
      firing(tenant, -4 * MIN, { source: 'datadog', fingerprint: 'dd-1' }),
      firing(tenant, -3 * MIN, { source: 'pagerduty', fingerprint: 'pd-1' }),
      firing(tenant, -2 * MIN, { source: 'prometheus', fingerprint: 'fp-other' }), // same source
      firing(tenant, -1 * MIN, { source: 'datadog', service: 'db', fingerprint: 'dd-db' }), // other service
    ]);
    const v = await observeOne(firing(tenant, 0, { source: 'prometheus' }));
    expect(feature(v, 'dup_other_source_5m')).toBe(2);
  });

  it('never counts a same-source firing that newer firings of other sources trimmed away as a missing duplicate', async () => {
    const tenant = newTenant();
    const strict = new FeatureStore({ redis, allowedLatenessMs: 0 });
    const one = async (alert: Alert): Promise<Float32Array> => (await strict.observe([alert]))[0] as Float32Array;
    const dup = (at: number, source: string): Alert => firing(tenant, at, { source, fingerprint: `${source}-${at}` });
    await one(dup(0, 'prometheus'));
    await one(dup(1 * MIN, 'datadog'));
    // Trims the name + service window below 5 min (both firings above go), but only the datadog set: the
    // prometheus set still holds its firing at 0.
    await one(dup(10 * MIN, 'datadog'));
    // Later than allowedLatenessMs: nothing of its window is left, so no duplicate (it used to be 0 − 1).
    expect(feature(await one(dup(3 * MIN, 'prometheus')), 'dup_other_source_5m')).toBe(0);
    // Another late one: the window holds its own source's firing at 3 min and the datadog one at 7 min.
    await one(dup(7 * MIN, 'datadog'));
    expect(feature(await one(dup(8 * MIN, 'prometheus')), 'dup_other_source_5m')).toBe(1);
  });

  it('counts duplicates among the firings a full name + service set still holds', async () => {
    const tenant = newTenant();
    const small = new FeatureStore({ redis, maxSetSize: 3 });
    const dup = (at: number, source: string): Alert => firing(tenant, at, { source, fingerprint: `${source}-${at}` });
    // The all-source set's cap keeps its newest three (datadog at 3, 4, 5 s); the prometheus set keeps its three.
    await small.observe([0, 1, 2].map((s) => dup(s * 1000, 'prometheus')));
    await small.observe([3, 4, 5].map((s) => dup(s * 1000, 'datadog')));
    const [v] = await small.observe([dup(6000, 'prometheus')]);
    expect(feature(v, 'dup_other_source_5m')).toBe(3);
  });

  it('checks a same-source window of thousands of firings against the all-source set without failing', async () => {
    const tenant = newTenant();
    // More same-source firings than one Lua unpack() takes (about 8,000).
    await store.observe(Array.from({ length: 8200 }, (_, i) => firing(tenant, i * 30, { fingerprint: 'storm' })));
    await store.observe([firing(tenant, 100, { source: 'datadog', fingerprint: 'dd-1' })]);
    await store.observe([firing(tenant, 10 * MIN, { source: 'datadog', fingerprint: 'dd-2' })]);
    // Late (within allowedLatenessMs) behind a newer firing of the service: the store checks every
    // same-source firing of the window against the all-source set.
    const late = await observeOne(firing(tenant, 250_000, { fingerprint: 'storm' }));
    expect(feature(late, 'dup_other_source_5m')).toBe(1);
  });

  it('counts distinct other fingerprints co-firing in the service over 5 and 30 minutes', async () => {
    const tenant = newTenant();
    await store.observe([
      firing(tenant, -40 * MIN, { fingerprint: 'old' }),
      firing(tenant, -20 * MIN, { fingerprint: 'fp-b' }),
      firing(tenant, -15 * MIN, { fingerprint: 'fp-c' }),
      firing(tenant, -3 * MIN, { fingerprint: 'fp-c' }), // same fingerprint twice: counted once
      firing(tenant, -2 * MIN, { fingerprint: 'fp-d' }),
      firing(tenant, -1 * MIN, { fingerprint: 'fp-a' }), // the alert's own series: not co-firing
      firing(tenant, -1 * MIN, { fingerprint: 'fp-x', service: 'db' }), // other service
    ]);
    const v = await observeOne(firing(tenant, 0, { fingerprint: 'fp-a' }));
    expect(feature(v, 'svc_cofiring_fps_5m')).toBe(2);
    expect(feature(v, 'svc_cofiring_fps_30m')).toBe(3);
  });

  it('counts critical and error firings of the service in 15 minutes and all tenant firings in 5', async () => {
    const tenant = newTenant();
    await store.observe([
      firing(tenant, -20 * MIN, { severity: 'critical', fingerprint: 's1' }),
      firing(tenant, -10 * MIN, { severity: 'critical', fingerprint: 's2' }),
      firing(tenant, -4 * MIN, { severity: 'error', fingerprint: 's3' }),
      firing(tenant, -3 * MIN, { severity: 'warning', fingerprint: 's4' }),
      firing(tenant, -2 * MIN, { severity: 'critical', service: 'db', fingerprint: 's5' }),
    ]);
    const v = await observeOne(firing(tenant, 0));
    expect(feature(v, 'svc_severe_15m')).toBe(2);
    expect(feature(v, 'tenant_firing_5m')).toBe(3);
  });

  it('counts an alert that arrives late against its own event time, not against newer arrivals', async () => {
    const tenant = newTenant();
    await store.observe([
      firing(tenant, 0, { fingerprint: 'fp-x' }),
      firing(tenant, 12 * MIN, { fingerprint: 'fp-x' }),
      firing(tenant, 13 * MIN, { fingerprint: 'fp-y' }),
    ]);
    // Arrives last (10 min late, within allowedLatenessMs), happened at 3 min: sees fp-x's firing at 0,
    // not the ones at 12 and 13 min.
    const late = await observeOne(firing(tenant, 3 * MIN, { fingerprint: 'fp-late' }));
    expect(feature(late, 'tenant_firing_5m')).toBe(1);
    expect(feature(late, 'svc_cofiring_fps_5m')).toBe(1);
    expect(feature(late, 'svc_cofiring_fps_30m')).toBe(1);
    expect(feature(late, 'rule_firings_1h')).toBe(1);

    // A late firing of a known series: its previous firing is the one before its own startsAt.
    const lateX = await observeOne(firing(tenant, 10 * MIN, { fingerprint: 'fp-x' }));
    expect(feature(lateX, 'fp_firings_1h')).toBe(1);
    expect(feature(lateX, 'fp_log_secs_since_prev')).toBeCloseTo(Math.log1p(600), 5);

    // …and the alerts after it, observed next, do count it.
    const after = await observeOne(firing(tenant, 14 * MIN, { fingerprint: 'fp-x' }));
    expect(feature(after, 'fp_firings_1h')).toBe(3);
  });

  it('reads windows as if every write had trimmed them, also for an alert later than allowedLatenessMs', async () => {
    const tenant = newTenant();
    const strict = new FeatureStore({ redis, allowedLatenessMs: 0 });
    const one = async (alert: Alert): Promise<Float32Array> => (await strict.observe([alert]))[0] as Float32Array;
    await one(firing(tenant, 0, { fingerprint: 'fp-x' }));
    await one(firing(tenant, 2 * MIN, { fingerprint: 'fp-w' }));
    await one(firing(tenant, 6 * MIN, { fingerprint: 'fp-y' })); // trims the tenant window below 1 min: fp-x goes
    // 2 min later than the newest firing with no lateness allowed: fp-x at 0 is gone from the storm window.
    const tooLate = await one(firing(tenant, 4 * MIN, { fingerprint: 'fp-z' }));
    expect(feature(tooLate, 'tenant_firing_5m')).toBe(1);
    expect(feature(tooLate, 'rule_firings_1h')).toBe(2);
    expect(feature(tooLate, 'svc_cofiring_fps_5m')).toBe(2);
  });

  it('keeps every hot key alive for at least stateTtlMs after a write, whichever write refreshed it', async () => {
    const tenant = newTenant();
    const stateTtlMs = 3_600_000;
    const short = new FeatureStore({ redis, stateTtlMs });
    for (let i = 0; i < 20; i += 1) await short.observe([firing(tenant, i * 1000, { id: `ttl-${i}` })]);
    for (const key of await tenantKeys(redis, tenant)) {
      if (key.includes(':alert:')) continue;
      expect(await redis.pttl(key), key).toBeGreaterThan(stateTtlMs - 60_000);
    }
  });

  it('returns the first vector again for a replayed alert and leaves every count unchanged', async () => {
    const tenant = newTenant();
    const alerts = [
      firing(tenant, 0),
      resolved(tenant, 0, 2 * MIN),
      firing(tenant, 5 * MIN, { source: 'datadog', fingerprint: 'fp-b', severity: 'error' }),
      firing(tenant, 6 * MIN),
    ];
    const first = await store.observe(alerts);
    const keysBefore = await snapshot(tenant);
    const again = await store.observe(alerts); // a retried job
    const oneByOne = [];
    for (const alert of alerts) oneByOne.push(await observeOne(alert)); // a restarted worker
    expect(again).toEqual(first);
    expect(oneByOne).toEqual(first);
    expect(await snapshot(tenant)).toEqual(keysBefore);

    const next = await observeOne(firing(tenant, 7 * MIN));
    expect(feature(next, 'fp_firings_1h')).toBe(2);
    expect(feature(next, 'fp_flaps_24h')).toBe(2); // the 6-min firing and this one, each once
    expect(feature(next, 'tenant_firing_5m')).toBe(2);
  });

  it('gives the same vectors for a batch as for its alerts one at a time', async () => {
    const a = newTenant();
    const b = newTenant();
    const sequenceFor = (tenant: string): Alert[] => [
      firing(tenant, 0, { id: 'x1' }),
      firing(tenant, MIN, { id: 'x2', fingerprint: 'fp-b', source: 'datadog' }),
      resolved(tenant, 0, 2 * MIN, { id: 'x3' }),
      firing(tenant, 3 * MIN, { id: 'x4' }),
    ];
    const batched = await store.observe(sequenceFor(a));
    const single = [];
    for (const alert of sequenceFor(b)) single.push(await observeOne(alert));
    expect(batched).toEqual(single);
  });

  it('turns outcomes into the rule feedback of later alerts, counting each alert once', async () => {
    const tenant = newTenant();
    const [a1, a2, a3, other] = [firing(tenant, 0), firing(tenant, MIN), firing(tenant, 2 * MIN), firing(tenant, 3 * MIN, { service: 'db' })];
    await store.observe([a1, a2, a3, other] as Alert[]);
    expect(await store.recordOutcome(tenant, a1.id, 'actionable')).toBe('recorded');
    expect(await store.recordOutcome(tenant, a1.id, 'actionable')).toBe('unchanged');
    expect(await store.recordOutcome(tenant, a2.id, 'actionable')).toBe('recorded');
    expect(await store.recordOutcome(tenant, a3.id, 'actionable')).toBe('recorded');
    expect(await store.recordOutcome(tenant, a3.id, 'noise')).toBe('changed'); // a corrected label moves
    expect(await store.recordOutcome(tenant, other.id, 'noise')).toBe('recorded'); // other rule
    expect(await store.recordOutcome(tenant, 'never-seen', 'noise')).toBe('unknown-alert');

    const v = await observeOne(firing(tenant, 4 * MIN));
    expect(feature(v, 'rule_actionable_rate')).toBeCloseTo((2 + 1) / (3 + 2), 6);
    expect(feature(v, 'rule_log_outcomes')).toBeCloseTo(Math.log1p(3), 6);
  });

  it('counts an outcome only for alerts that start after its time, even when it was processed first', async () => {
    const tenant = newTenant();
    const rate = (v: Float32Array): number => feature(v, 'rule_actionable_rate');
    const outcomes = (v: Float32Array): number => Math.round(Math.expm1(feature(v, 'rule_log_outcomes')));
    const a1 = firing(tenant, 0, { fingerprint: 'fp-1' });
    await store.observe([a1]);
    expect(await store.recordOutcome(tenant, a1.id, 'actionable', T0 + 10 * MIN)).toBe('recorded');
    expect(await store.recordOutcome(tenant, a1.id, 'actionable', T0 + 10 * MIN)).toBe('unchanged');

    // Scored after the outcome was processed, but started before it (or at its time): not counted.
    const before = await observeOne(firing(tenant, 5 * MIN, { fingerprint: 'fp-2' }));
    const same = await observeOne(firing(tenant, 10 * MIN, { fingerprint: 'fp-3' }));
    expect([outcomes(before), rate(before)]).toEqual([0, 0.5]);
    expect([outcomes(same), rate(same)]).toEqual([0, 0.5]);
    const after = await observeOne(firing(tenant, 11 * MIN, { fingerprint: 'fp-4' }));
    expect(outcomes(after)).toBe(1);
    expect(rate(after)).toBeCloseTo(2 / 3, 6);

    // A corrected label moves to its own time and kind: between the two times the alert has no label.
    expect(await store.recordOutcome(tenant, a1.id, 'noise', T0 + 20 * MIN)).toBe('changed');
    expect(outcomes(await observeOne(firing(tenant, 15 * MIN, { fingerprint: 'fp-5' })))).toBe(0);
    const corrected = await observeOne(firing(tenant, 21 * MIN, { fingerprint: 'fp-6' }));
    expect(outcomes(corrected)).toBe(1);
    expect(rate(corrected)).toBeCloseTo(1 / 3, 6);

    // The feedback window is 90 days of event time; older outcomes are trimmed as newer ones arrive.
    const late = await observeOne(firing(tenant, 20 * MIN + 90 * 24 * HOUR + 1, { fingerprint: 'fp-7' }));
    expect(outcomes(late)).toBe(0);
    const a2 = firing(tenant, 100 * 24 * HOUR, { fingerprint: 'fp-8' });
    await store.observe([a2]);
    expect(await store.recordOutcome(tenant, a2.id, 'noise', a2.startsAt + MIN)).toBe('recorded');
    const noiseKey = `hush:{${tenant}}:outcomes:HighLatency|api:noise`;
    expect(await redis.zrange(noiseKey, '0', '-1')).toEqual([a2.id]);
    expect(await redis.pttl(noiseKey)).toBeGreaterThan(0);
  });

  it('gives two stores fed the same alerts and outcomes in different orders the same vectors', async () => {
    const [a, b] = [newTenant(), newTenant()];
    const alerts = (tenant: string): Alert[] => Array.from({ length: 6 }, (_, i) => firing(tenant, i * 10 * MIN, { id: `r${i}`, fingerprint: `fp-${i % 2}` }));
    const labels = [
      { id: 'r0', kind: 'actionable', at: 15 * MIN },
      { id: 'r1', kind: 'noise', at: 12 * MIN },
      { id: 'r2', kind: 'noise', at: 41 * MIN },
    ] as const;
    // Tenant a: each outcome recorded as soon as its alert is scored; tenant b: only when its time comes.
    const eager: Float32Array[] = [];
    for (const alert of alerts(a)) {
      eager.push(await observeOne(alert));
      for (const l of labels.filter((x) => x.id === alert.id)) await store.recordOutcome(a, l.id, l.kind, T0 + l.at);
    }
    const lazy: Float32Array[] = [];
    for (const alert of alerts(b)) {
      for (const l of labels.filter((x) => T0 + x.at < alert.startsAt)) await store.recordOutcome(b, l.id, l.kind, T0 + l.at);
      lazy.push(await observeOne(alert));
    }
    expect(eager).toEqual(lazy);
    expect(eager.map((v) => Math.round(Math.expm1(feature(v, 'rule_log_outcomes'))))).toEqual([0, 0, 2, 2, 2, 3]);
  });

  it('keeps memory bounded: every key expires and sorted sets are trimmed by event time and size', async () => {
    const tenant = newTenant();
    const small = new FeatureStore({ redis, maxSetSize: 3, allowedLatenessMs: 0 });
    for (let i = 0; i < 6; i += 1) await small.observe([firing(tenant, i * MIN)]);
    const fireKey = `hush:{${tenant}}:fp:fp-a:fire`;
    expect(await redis.zcard(fireKey)).toBe(3);

    await small.observe([firing(tenant, 2 * 24 * HOUR)]); // two days later: the day-old members go
    expect(await redis.zcard(fireKey)).toBe(1);
    expect(await redis.zcard(`hush:{${tenant}}:firing`)).toBe(1);

    for (const key of await tenantKeys(redis, tenant)) {
      const ttl = await redis.pttl(key);
      expect(ttl, key).toBeGreaterThan(0);
    }
  });

  it('caps a full set only when a write adds more members than its time trim removed', async () => {
    const tenant = newTenant();
    const small = new FeatureStore({ redis, maxSetSize: 3, allowedLatenessMs: 0 });
    const one = async (at: number): Promise<Float32Array> => (await small.observe([firing(tenant, at, { fingerprint: `fp-${at}` })]))[0] as Float32Array;
    const tenantKey = `hush:{${tenant}}:firing`;
    const members = async (): Promise<string[]> => redis.zrangebyscore(tenantKey, '-inf', '+inf', 'WITHSCORES').then((r) => r.filter((_, i) => i % 2 === 1).map((s) => String((Number(s) - T0) / MIN)));
    for (const at of [0, 1, 2, 3]) await one(at * MIN);
    expect(await members()).toEqual(['1', '2', '3']); // the size cap dropped 0

    // 5-min window at 6.5 min: the time trim drops 1, the write adds 6.5, the set stays at the cap.
    expect(feature(await one(6.5 * MIN), 'tenant_firing_5m')).toBe(2);
    expect(await members()).toEqual(['2', '3', '6.5']);
    // Nothing older than 1.6 min to trim: the write takes the set over the cap, the cap drops 2.
    expect(feature(await one(6.6 * MIN), 'tenant_firing_5m')).toBe(3);
    expect(await members()).toEqual(['3', '6.5', '6.6']);
    // One trimmed for one added: at the cap again.
    expect(feature(await one(10 * MIN), 'tenant_firing_5m')).toBe(2);
    expect(await members()).toEqual(['6.5', '6.6', '10']);
    // Three trimmed for one added: below the cap.
    expect(feature(await one(16.55 * MIN), 'tenant_firing_5m')).toBe(0);
    expect(await members()).toEqual(['16.55']);
  });

  it('trims the flap set on resolves once the series has flapped, and creates none before', async () => {
    const tenant = newTenant();
    const flapKey = `hush:{${tenant}}:fp:fp-a:flap`;
    await store.observe([firing(tenant, 0), resolved(tenant, 0, 2 * MIN)]);
    expect(await redis.exists(flapKey)).toBe(0);
    await store.observe([firing(tenant, 10 * MIN), resolved(tenant, 10 * MIN, 12 * MIN)]); // a flap
    expect(await redis.zcard(flapKey)).toBe(1);
    expect(await redis.pttl(flapKey)).toBeGreaterThan(0);
    // Two days later the resolve's trim drops the day-old flap.
    await store.observe([firing(tenant, 48 * HOUR), resolved(tenant, 48 * HOUR, 48 * HOUR + MIN)]);
    expect(await redis.exists(flapKey)).toBe(0);
  });

  it('rejects invalid options and tenants with messages that name them', async () => {
    expect(() => new FeatureStore({ redis, maxSetSize: 0 })).toThrow(/maxSetSize/);
    expect(() => new FeatureStore({ redis, keyPrefix: 'a{b' })).toThrow(/keyPrefix/);
    await expect(store.recordOutcome('Bad{Tenant}', 'x', 'noise')).rejects.toThrow(/tenant/);
  });
});

/** Every key of the tenant with its content (TTLs aside). */
async function snapshot(tenant: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const key of (await tenantKeys(redis, tenant)).sort()) {
    const type = await redis.type(key);
    out[key] = type === 'zset' ? await redis.zrange(key, '0', '-1', 'WITHSCORES') : await redis.hgetall(key);
  }
  return out;
}
