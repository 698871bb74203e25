import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../workers/roles.js';
import { createE2eWorld, killAllHushProcesses, startHush, waitFor, type E2eWorld, type HushProcess } from '../helpers/fleet.js';
import { startPrometheus, type TestPrometheus } from '../helpers/prometheus.js';
import { deleteKeysUnder } from '../helpers/redis-prefix.js';

// Issue 5 acceptance: a real Prometheus (Debian package) scrapes every role of a running fleet, one
// process per role, and finds through its HTTP API exactly the metrics docs/metrics.md documents.

const ROLE_NAMES = Object.keys(ROLES);

/** One row of docs/metrics.md's table. */
interface DocumentedMetric {
  name: string;
  type: string;
  labels: string[];
  roles: string[];
}

/** The rows of the table in docs/metrics.md: `| \`name\` | type | labels | roles | meaning |`. */
function documentedMetrics(): DocumentedMetric[] {
  const text = readFileSync(new URL('../../docs/metrics.md', import.meta.url), 'utf8');
  const backticked = (cell: string) => [...cell.replace(/\([^)]*\)/g, '').matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
  return text
    .split('\n')
    .filter((line) => line.startsWith('| `hush_'))
    .map((line) => {
      const [name = '', type = '', labels = '', roles = ''] = line.split('|').slice(1).map((cell) => cell.trim());
      return { name: backticked(name)[0] ?? '', type, labels: backticked(labels), roles: roles === 'every role' ? ROLE_NAMES : backticked(roles) };
    });
}

/** Labels Prometheus itself adds (`job`, `instance`) or that a histogram's or summary's samples carry. */
const SCRAPE_LABELS = new Set(['__name__', 'job', 'instance', 'le', 'quantile']);
/** The series name of a histogram's parts, as Prometheus stores them. */
const familyOf = (series: string) => series.replace(/_(bucket|sum|count)$/, '');

let world: E2eWorld;
let prometheus: TestPrometheus | undefined;
const roles = new Map<string, HushProcess>();

beforeAll(async () => {
  world = createE2eWorld('prom-scrape');
  // One role migrates the fresh database first; the others then start side by side.
  roles.set('scoring', await startHush(['worker', 'scoring'], world.env, { timeoutMs: 120_000 }));
  const rest = ROLE_NAMES.filter((role) => role !== 'scoring');
  const started = await Promise.all(rest.map((role) => startHush(['worker', role], world.env, { timeoutMs: 120_000 })));
  rest.forEach((role, i) => roles.set(role, started[i] as HushProcess));
  prometheus = await startPrometheus({
    scrapeIntervalSeconds: 1,
    scrapeJobs: [...roles].map(([role, proc]) => ({ name: role, targets: [`127.0.0.1:${proc.metricsPort}`] })),
  });
}, 300_000);

afterAll(async () => {
  await prometheus?.stop();
  await Promise.allSettled([...roles.values()].map((proc) => proc.stop()));
  await killAllHushProcesses();
  await world.dispose();
  // The metrics role's partition queues live under the prefix too.
  await deleteKeysUnder(world.env.redisUrl, world.env.queuePrefix);
});

describe('Prometheus scraping every role', () => {
  it('documents each role in docs/metrics.md', () => {
    const documentedRoles = new Set(documentedMetrics().flatMap((m) => m.roles));
    expect([...documentedRoles].sort()).toEqual([...ROLE_NAMES].sort());
  });

  it('scrapes every role and finds exactly the documented metrics of each, with their types', { timeout: 120_000 }, async () => {
    const api = prometheus as TestPrometheus;
    // Traffic, so that labelled counters have samples to scrape.
    const gateway = roles.get('gateway') as HushProcess;
    const post = (path: string, body: unknown) =>
      fetch(`${gateway.gatewayUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${world.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const alert = { id: 'scrape-1', source: 'test', name: 'DiskFull', service: 'db', severity: 'critical', status: 'firing', startsAt: new Date().toISOString() };
    expect((await post('/api/v1/alerts', alert)).status).toBe(202);
    expect((await post('/api/v1/outcomes', { alertId: 'scrape-1', outcome: 'actionable', at: new Date().toISOString(), source: 'human' })).status).toBe(202);

    type Target = { labels: { job: string }; health: string; lastError: string };
    let targets: Target[] = [];
    await waitFor(
      async () => {
        targets = (await api.api<{ activeTargets: Target[] }>('targets?state=active')).activeTargets;
        return targets.length === roles.size + 1 && targets.every((t) => t.health === 'up');
      },
      { timeoutMs: 60_000, intervalMs: 500, what: () => `every target up: ${JSON.stringify(targets)}` },
    );

    const documented = documentedMetrics();
    for (const role of ROLE_NAMES) {
      const metadata = await api.api<{ metric: string; type: string }[]>(`targets/metadata?match_target=${encodeURIComponent(`{job="${role}"}`)}`);
      const exposed = new Map(metadata.filter((m) => m.metric.startsWith('hush_') && !m.metric.startsWith('hush_process_')).map((m) => [m.metric, m.type]));
      const expected = new Map(documented.filter((m) => m.roles.includes(role)).map((m) => [m.name, m.type]));
      expect(Object.fromEntries([...exposed].sort()), `metrics of role ${role} (docs/metrics.md)`).toEqual(Object.fromEntries([...expected].sort()));
    }
  });

  it('finds their series with the documented labels, and process metrics for every role', { timeout: 60_000 }, async () => {
    const api = prometheus as TestPrometheus;
    const documented = new Map(documentedMetrics().map((m) => [m.name, m]));
    type Series = Record<string, string>;
    let series: Series[] = [];
    await waitFor(
      async () => {
        series = await api.api<Series[]>(`series?match[]=${encodeURIComponent('{__name__=~"hush_.+"}')}`);
        const names = new Set(series.map((s) => familyOf(s.__name__ as string)));
        return ['hush_gateway_alerts_total', 'hush_gateway_outcomes_total', 'hush_scoring_jobs_total', 'hush_queue_jobs'].every((n) => names.has(n));
      },
      { timeoutMs: 45_000, intervalMs: 500, what: () => `series of the traffic's counters (have ${new Set(series.map((s) => s.__name__)).size} names)` },
    );
    for (const one of series) {
      const name = one.__name__ as string;
      if (name.startsWith('hush_process_')) continue;
      const doc = documented.get(name) ?? documented.get(familyOf(name));
      expect(doc, `${name} is documented`).toBeDefined();
      const extra = Object.keys(one).filter((label) => !SCRAPE_LABELS.has(label) && !doc?.labels.includes(label));
      expect(extra, `undocumented labels of ${name}`).toEqual([]);
      expect(doc?.roles, `${name} scraped from job ${one.job}`).toContain(one.job);
    }

    const names = await api.api<string[]>('label/__name__/values');
    expect(names).toEqual(expect.arrayContaining(['hush_gateway_requests_total', 'hush_gateway_request_duration_seconds_bucket', 'hush_queue_jobs']));
    const perJob = await api.api<{ result: { metric: { job: string } }[] }>(`query?query=${encodeURIComponent('count by (job) ({__name__=~"hush_process_.+"})')}`);
    expect(perJob.result.map((r) => r.metric.job).sort()).toEqual([...ROLE_NAMES].sort());
  });
});
