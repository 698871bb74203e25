import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTablesContaining } from '../../shared/clickhouse/queries/find-tables-containing.js';
import { createE2eWorld, killAllHushProcesses, queryRows, startFleet, uniqueName, waitFor, type E2eWorld, type HushProcess } from '../helpers/fleet.js';

/** PII as it appears in alert text, each with the parts that must never reach a table. */
const PII: readonly { text: string; needles: readonly string[] }[] = [
  { text: 'jane.doe+oncall@example.com', needles: ['jane.doe+oncall@example.com', 'jane.doe+oncall', 'oncall@example.com'] },
  { text: '203.0.113.77', needles: ['203.0.113.77'] },
  { text: '2001:db8:85a3::8a2e:370:7334', needles: ['2001:db8:85a3::8a2e:370:7334', '8a2e:370:7334'] },
  { text: `ghp_${'A1b2C3d4E5'.repeat(3)}Zy9X8w`, needles: [`ghp_${'A1b2C3d4E5'.repeat(3)}Zy9X8w`, 'A1b2C3d4E5A1b2C3d4E5'] },
  { text: 'AKIAIOSFODNN7EXAMPLE', needles: ['AKIAIOSFODNN7EXAMPLE', 'IOSFODNN7'] },
  { text: 'password=Sup3rS3cretValue', needles: ['Sup3rS3cretValue'] },
  { text: 'Authorization: Bearer abcDEF123456789xyzQ', needles: ['abcDEF123456789xyzQ'] },
  {
    text: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    needles: ['eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
  },
  { text: '+44 20 7946 0958', needles: ['+44 20 7946 0958', '7946 0958'] },
  { text: '(555) 123-4567', needles: ['(555) 123-4567', '123-4567'] },
  { text: '4111 1111 1111 1111', needles: ['4111 1111 1111 1111', '1111 1111 1111'] },
  { text: '5500-0000-0000-0004', needles: ['5500-0000-0000-0004', '0000-0000-0004'] },
  { text: '4012888888881881', needles: ['4012888888881881'] },
];
/** PagerDuty's routing key is a credential: it must not be stored either. */
const ROUTING_KEY = 'R0uT1nGkEy0123456789abcdefABCDEF';

describe('PII never reaches ClickHouse (all three ingest routes, real fleet)', () => {
  let world: E2eWorld;
  let fleet: HushProcess;

  beforeAll(async () => {
    world = createE2eWorld('pii');
    fleet = await startFleet(world.env);
  });

  afterAll(async () => {
    await killAllHushProcesses();
    await world?.dispose();
  });

  async function post(path: string, body: unknown): Promise<{ accepted: unknown[]; rejected: unknown[] }> {
    const res = await fetch(`${fleet.gatewayUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${world.token}` },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { accepted: unknown[]; rejected: unknown[] };
    expect(res.status, `${path}: ${JSON.stringify(json).slice(0, 500)}`).toBe(202);
    expect(json.rejected).toEqual([]);
    return json;
  }

  it('strips emails, IPs, tokens, phone numbers and card numbers from summaries and label values before storing', { timeout: 90_000 }, async () => {
    const marker = uniqueName('visible-marker', '-');
    const startsAt = new Date(Date.now() - 5 * 60_000).toISOString();
    const everything = PII.map((p) => p.text).join(' | ');

    const native = PII.map((p, i) => ({
      id: `native-${i}`,
      source: 'prometheus',
      name: 'DiskFull',
      service: `billing-${i}`,
      severity: 'critical',
      status: 'firing',
      startsAt,
      summary: `${marker} disk full on host, contact ${p.text} now`,
      labels: { owner: p.text, note: `reach ${p.text} asap`, marker },
    }));
    native.push({ ...(native[0] as (typeof native)[number]), id: 'native-all', summary: `${marker} ${everything}`, labels: { owner: everything.slice(0, 1000), note: 'x', marker } });
    await post('/api/v1/alerts', native);

    await post('/api/v1/alerts/alertmanager', {
      version: '4',
      groupKey: `{}:{alertname="HighErrorRate"}`,
      status: 'firing',
      receiver: 'hush',
      groupLabels: { alertname: 'HighErrorRate' },
      commonLabels: { alertname: 'HighErrorRate', team: 'payments' },
      commonAnnotations: { runbook: `call ${PII[8]?.text}` },
      externalURL: 'http://203.0.113.77:9093',
      alerts: PII.map((p, i) => ({
        status: 'firing',
        labels: { alertname: 'HighErrorRate', service: `checkout-${i}`, severity: 'warning', instance: `${p.text}:9100`, owner: p.text },
        annotations: { summary: `${marker} errors spiking, owner ${p.text}`, description: `see ${p.text}` },
        startsAt,
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: `http://203.0.113.77:9090/graph?g0.expr=up&owner=${encodeURIComponent(p.text)}`,
        fingerprint: `fp${i.toString(16).padStart(14, '0')}`,
      })),
    });

    for (const [i, p] of PII.entries()) {
      await post('/api/v1/alerts/pagerduty', {
        routing_key: ROUTING_KEY,
        event_action: 'trigger',
        dedup_key: `pd-${i}`,
        client: 'monitoring',
        client_url: `https://203.0.113.77/${encodeURIComponent(p.text)}`,
        payload: {
          summary: `${marker} payment failures for ${p.text}`,
          source: 'db-host-7',
          severity: 'critical',
          component: 'postgres',
          group: `payments-${i}`,
          class: 'PaymentFailures',
          timestamp: startsAt,
          custom_details: { owner: p.text, free_text: `call ${p.text}`, nested: { card: p.text } },
        },
      });
    }

    const total = native.length + 2 * PII.length;
    let seen = '';
    await waitFor(
      async () => {
        const [row] = await queryRows<{ d: number; a: number }>(
          world.clickhouse,
          'SELECT (SELECT count() FROM decisions FINAL) AS d, (SELECT count() FROM alerts) AS a',
        );
        seen = JSON.stringify(row);
        return Number(row?.d) === total && Number(row?.a) >= total;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: () => `${total} decisions and alerts (last: ${seen})\n${fleet.tail()}` },
    );

    // The scan works: the harmless marker is found where it was sent.
    const markerHits = await findTablesContaining(world.clickhouse, marker);
    expect(markerHits.map((h) => `${h.table}.${h.column}`).sort()).toEqual(['alerts.label_values', 'alerts.summary']);

    const needles = [...PII.flatMap((p) => p.needles), ROUTING_KEY];
    const hits = await Promise.all(needles.map((needle) => findTablesContaining(world.clickhouse, needle)));
    const leaks = Object.fromEntries(needles.map((needle, i) => [needle, hits[i]]).filter(([, h]) => (h as unknown[]).length > 0));
    expect(leaks).toEqual({});
    expect(await fleet.stop()).toEqual({ code: 0, signal: null });
  });
});
