import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RowJournal, journalKey } from '../../shared/clickhouse/row-journal.js';
import { TABLES, alertRow, decisionRow, featureRow } from '../../shared/clickhouse/rows.js';
import { createRedis } from '../../shared/redis/connection.js';
import type { Alert } from '../../schemas/alert.js';
import { Prng } from '../../synth/prng.js';
import { deleteKeysUnder } from '../helpers/redis-prefix.js';
import { serviceUrls } from '../helpers/services.js';
import { uniquePrefix } from '../queues/queue-fixture.js';

// The SHA-256 of the stream entries below as the row path wrote them at 67195c9, before it was made
// cheaper: the bytes the drain inserts must not change. Recompute only for an intended format change.
const ENTRIES_SHA256 = '34406789f260ac7888836da0221c22817fdec0ee2c4045aa29109df659ec3754';

const MAX_DATETIME_MS = 4_294_967_295_000;
const FRAGMENTS = ['"', '\\', '\n', '\t', '\0', '\x1f', '\x7f', '\u2028', 'é', '中文', '😀', '\ud800', '\udfff', '\udc00\ud800', '</script>', 'a', 'checkout', ' '];
const LABEL_KEYS = ['team', 'env', 'alertname', '10', '9', 'Zeta', 'zeta', 'é', '😀', 'instance', '\ud83d'];

function text(prng: Prng): string {
  let out = '';
  for (let i = prng.int(0, 6); i > 0; i -= 1) out += prng.chance(0.6) ? prng.pick(FRAGMENTS) : String.fromCharCode(prng.int(0, 0xffff));
  return out;
}

function time(prng: Prng): number {
  const r = prng.next();
  if (r < 0.05) return prng.pick([0, 999, 1000, MAX_DATETIME_MS, Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(2100, 2, 1)]);
  if (r < 0.5) return Date.UTC(2026, 10, 24) + prng.int(0, 86_400_000);
  return prng.next() * MAX_DATETIME_MS;
}

function number(prng: Prng): number {
  return prng.pick([0, -0, 1, -1, 0.1, 1e21, 1e-7, 5e-324, Math.fround(prng.next()), prng.next() * 1e6, -prng.next()]);
}

function alert(prng: Prng, i: number): Alert {
  const labels: Record<string, string> = {};
  for (let n = prng.int(0, 6); n > 0; n -= 1) labels[prng.pick(LABEL_KEYS)] = text(prng);
  const startsAt = time(prng);
  return {
    id: `a-${i}${text(prng)}`,
    tenant: prng.pick(['acme', 't-1']),
    source: text(prng),
    name: text(prng),
    service: text(prng),
    severity: prng.pick(['critical', 'error', 'warning', 'info'] as const),
    status: prng.pick(['firing', 'resolved'] as const),
    startsAt,
    endsAt: prng.chance(0.5) ? null : time(prng),
    summary: text(prng),
    labels,
    value: prng.chance(0.3) ? null : number(prng),
    fingerprint: text(prng),
  };
}

describe('the row journal lines (real Redis)', () => {
  const prefix = uniquePrefix();
  let redis: Redis;

  beforeAll(() => {
    redis = createRedis(serviceUrls().redisUrl);
  });

  afterAll(async () => {
    redis.disconnect();
    await deleteKeysUnder(serviceUrls().redisUrl, prefix);
  });

  it('stages 3,000 random alerts, features and decisions as the same bytes as before, row by row or a turn at once', async () => {
    const key = journalKey(prefix, 'lines');
    const journal = new RowJournal(redis, { key });
    const sinks = { alerts: journal.sink(TABLES.alerts), features: journal.sink(TABLES.features), decisions: journal.sink(TABLES.decisions) };
    const prng = new Prng(3, 'journal-lines');
    for (let turn = 0; turn < 15; turn += 1) {
      const rows = { alerts: [] as object[], features: [] as object[], decisions: [] as object[] };
      for (let i = turn * 200; i < (turn + 1) * 200; i += 1) {
        const a = alert(prng, i);
        const now = time(prng);
        rows.alerts.push(alertRow(a, now));
        rows.features.push(featureRow({ tenant: a.tenant, alertId: a.id, eventTime: a.startsAt, featureSchemaVersion: prng.int(0, 70_000), values: Float32Array.from({ length: prng.int(0, 30) }, () => number(prng)) }, now));
        const score = prng.chance(0.2) ? null : number(prng);
        rows.decisions.push(
          decisionRow({
            tenant: a.tenant,
            alertId: a.id,
            service: a.service,
            name: a.name,
            eventTime: a.startsAt,
            modelId: prng.chance(0.2) ? '' : text(prng),
            modelVersion: prng.int(0, 2 ** 33),
            score,
            threshold: prng.next(),
            decision: prng.chance(0.5) ? 'notify' : 'suppress',
            shadowModelId: prng.chance(0.5) ? null : text(prng),
            shadowScore: prng.chance(0.5) ? null : number(prng),
            scoringLatencyUs: prng.next() * 1e10,
            e2eLatencyUs: prng.int(0, 1e6),
            decidedAt: now,
          }),
        );
      }
      const tables = ['alerts', 'features', 'decisions'] as const;
      if (turn % 2 === 0) await Promise.all(tables.map((table) => sinks[table].writeAll(rows[table])));
      else await Promise.all(rows.alerts.flatMap((_, i) => tables.map((table) => sinks[table].write(rows[table][i] as object))));
    }

    const hash = createHash('sha256');
    for (const [, fields] of await redis.xrangeBuffer(key, '-', '+')) for (const field of fields) hash.update(field).update('\0');
    expect(hash.digest('hex')).toBe(ENTRIES_SHA256);
  });
});
