import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertWire } from '../../schemas/alert.js';
import { generateWorld } from '../../synth/index.js';
import { TcpProxy } from '../clickhouse/tcp-proxy.js';
import { createE2eWorld, killAllHushProcesses, startFleet, waitFor, type E2eWorld, type HushProcess } from '../helpers/fleet.js';
import { Queue } from 'bullmq';
import { QUEUE_NAMES } from '../../queues/queue-names.js';
import { createRedis } from '../../shared/redis/connection.js';
import { JOURNAL_GROUP } from '../../shared/clickhouse/journal-drain.js';
import { journalKey } from '../../shared/clickhouse/row-journal.js';
import { decisionCounts, expectExactlyOneDecisionEach, pendingJobs, sleep } from './replay-kit.js';

const OUTAGE_MS = 30_000;

describe('ClickHouse outage (fleet behind a TCP proxy that is cut for 30 s)', () => {
  let world: E2eWorld;
  let proxy: TcpProxy;
  let fleet: HushProcess;
  const wires: AlertWire[] = [];

  beforeAll(async () => {
    world = createE2eWorld('outage');
    const target = new URL(world.env.clickhouseUrl);
    proxy = new TcpProxy({ host: target.hostname, port: Number(target.port) });
    await proxy.start();
    fleet = await startFleet({ ...world.env, clickhouseUrl: proxy.url });
    for (const record of generateWorld({ seed: 77, days: 1, tenant: world.tenant, alerts: 1200 })) if (record.kind === 'alert') wires.push(record.alert);
  });

  afterAll(async () => {
    await killAllHushProcesses();
    await proxy?.stop();
    await world?.dispose();
  });

  async function post(batch: readonly AlertWire[]): Promise<void> {
    const res = await fetch(`${fleet.gatewayUrl}/api/v1/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${world.token}` },
      body: JSON.stringify(batch),
    });
    const body = (await res.json()) as { accepted: unknown[]; rejected: unknown[] };
    expect(res.status, JSON.stringify(body).slice(0, 500)).toBe(202);
    expect(body.rejected).toEqual([]);
  }

  async function replay(lines: readonly AlertWire[]): Promise<void> {
    for (let i = 0; i < lines.length; i += 100) await post(lines.slice(i, i + 100));
  }

  it('loses no decision when ClickHouse is unreachable for 30 s mid-replay (refused, then hung)', { timeout: 85_000 }, async () => {
    const expected = new Set(wires.filter((w) => w.status === 'firing').map((w) => w.id as string));
    const third = Math.floor(wires.length / 3);

    await replay(wires.slice(0, third));
    await waitFor(async () => (await decisionCounts(world.clickhouse)).final > 0, { timeoutMs: 20_000, what: () => `first decisions\n${fleet.tail()}` });

    // Outage, first half: connections refused and open sockets reset.
    await proxy.stop();
    const cutAt = Date.now();
    await replay(wires.slice(third, 2 * third)); // the gateway needs only Redis: ingest goes on
    await sleep(2_000);
    const duringOutage = (await decisionCounts(world.clickhouse)).final;
    expect(duringOutage).toBeLessThan(expected.size);
    // The metrics role needs ClickHouse and says so; scoring works on, its rows waiting in the journal.
    const health = await fleet.health();
    expect(health.status).toBe(503);
    const checks = (health.body as { checks: Record<string, string> }).checks;
    expect(checks['metrics.clickhouse']).not.toBe('ok');
    expect(checks).toMatchObject({ 'scoring.redis': 'ok', 'scoring.journal': 'ok' });
    await sleep(OUTAGE_MS / 2 - (Date.now() - cutAt));

    // Second half: connections accepted and never answered, like a hung server.
    await proxy.hang();
    await replay(wires.slice(2 * third));
    // Scoring goes on through the outage: every job completes with its rows staged in the journal.
    const redis = createRedis(world.env.redisUrl);
    const alertsQueue = new Queue(QUEUE_NAMES.alerts, { connection: redis, prefix: world.env.queuePrefix });
    const journal = journalKey(world.env.queuePrefix, 'scoring');
    try {
      await waitFor(async () => (await pendingJobs(alertsQueue)) === 0, { timeoutMs: OUTAGE_MS - (Date.now() - cutAt), intervalMs: 250, what: 'the alerts queue to drain during the outage' });
      expect(await redis.xlen(journal)).toBeGreaterThan(0);
      await sleep(OUTAGE_MS - (Date.now() - cutAt));
      expect((await decisionCounts(world.clickhouse)).final).toBe(duringOutage); // nothing got through: the outage was real
      expect(fleet.alive).toBe(true);

      await proxy.stop();
      await proxy.start(); // same port
      await waitFor(async () => (await decisionCounts(world.clickhouse)).final >= expected.size, {
        timeoutMs: 30_000,
        intervalMs: 250,
        what: () => `all ${expected.size} decisions after ClickHouse came back\n${fleet.tail()}`,
      });
      // Every staged row is in once the journal is empty and nothing read from it is unacknowledged.
      await waitFor(async () => (await redis.xlen(journal)) === 0 && Number(((await redis.xpending(journal, JOURNAL_GROUP)) as [number])[0]) === 0, {
        timeoutMs: 30_000,
        intervalMs: 250,
        what: 'the row journal to drain',
      });
      expect(await alertsQueue.getFailedCount()).toBe(0);
    } finally {
      await alertsQueue.close();
      redis.disconnect();
    }
    const check = await expectExactlyOneDecisionEach(world.clickhouse, expected);
    expect(check).toEqual({ conflicting: 0, duplicates: 0, missing: [], unexpected: [], final: expected.size, distinct: expected.size });
    // Every alert row (firing and resolved) made it too.
    const [alerts] = await world.clickhouse
      .query({ query: 'SELECT uniqExact(alert_id, status) AS n FROM alerts', format: 'JSONEachRow' })
      .then((r) => r.json<{ n: number }>());
    expect(Number(alerts?.n)).toBe(new Set(wires.map((w) => `${w.id}/${w.status}`)).size);
    await fleet.waitHealthy(10_000);
    expect(await fleet.stop()).toEqual({ code: 0, signal: null });
  });
});
