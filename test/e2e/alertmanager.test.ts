import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDebianPackage } from '../../shared/services/index.js';
import { freePort } from '../helpers/free-port.js';
import { createE2eWorld, killAllHushProcesses, queryRows, startFleet, waitFor, type E2eWorld, type HushProcess } from '../helpers/fleet.js';

const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';

/** A real Alertmanager whose only receiver is the gateway's webhook route, with a short group_wait. */
async function startAlertmanager(gatewayUrl: string, token: string, dir: string): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  await ensureDebianPackage('prometheus-alertmanager', ALERTMANAGER);
  const port = await freePort();
  const config = join(dir, 'alertmanager.yml');
  writeFileSync(
    config,
    [
      'route:',
      '  receiver: hush',
      "  group_by: ['alertname']",
      '  group_wait: 1s',
      '  group_interval: 1s',
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: hush',
      '    webhook_configs:',
      `      - url: ${JSON.stringify(`${gatewayUrl}/api/v1/alerts/alertmanager`)}`,
      '        send_resolved: true',
      '        http_config:',
      '          authorization:',
      `            credentials: ${JSON.stringify(token)}`,
      '',
    ].join('\n'),
  );
  const child = spawn(
    ALERTMANAGER,
    [`--config.file=${config}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=info'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (output += c));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`alertmanager exited ${child.exitCode}:\n${output}`);
      return fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    },
    { timeoutMs: 20_000, what: () => `alertmanager ready:\n${output}` },
  );
  return { url, child, output: () => output };
}

describe('Alertmanager → gateway webhook (real Alertmanager 0.25)', () => {
  let world: E2eWorld;
  let fleet: HushProcess;
  let alertmanager: Awaited<ReturnType<typeof startAlertmanager>> | undefined;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hush-e2e-am-'));
    world = createE2eWorld('am');
    fleet = await startFleet(world.env);
    alertmanager = await startAlertmanager(fleet.gatewayUrl, world.token, dir);
  });

  afterAll(async () => {
    const child = alertmanager?.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await killAllHushProcesses();
    await world?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('turns alerts posted to Alertmanager into one decision each, and records their resolution', async () => {
    const am = alertmanager;
    if (!am) throw new Error('alertmanager not started');
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const sent = Array.from({ length: 6 }, (_, i) => ({
      labels: { alertname: `HighLatency${i % 2}`, service: `checkout-${i}`, severity: i % 3 === 0 ? 'critical' : 'warning', instance: `node-${i}:9100` },
      annotations: { summary: `p99 latency above 2s on checkout-${i}` },
      startsAt,
    }));
    const posted = await fetch(`${am.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sent) });
    expect(posted.status).toBe(200);

    await waitFor(
      async () => (await queryRows<{ n: number }>(world.clickhouse, `SELECT count() AS n FROM decisions FINAL`))[0]?.n === sent.length,
      { timeoutMs: 30_000, intervalMs: 250, what: () => `6 decisions\n--- alertmanager ---\n${am.output().slice(-3000)}\n--- fleet ---\n${fleet.tail()}` },
    );
    const decisions = await queryRows<{ tenant: string; name: string; service: string; decision: string }>(
      world.clickhouse,
      'SELECT tenant, name, service, decision FROM decisions FINAL ORDER BY service',
    );
    expect(decisions).toEqual(
      sent.map((a) => ({ tenant: world.tenant, name: a.labels.alertname, service: a.labels.service, decision: 'notify' })),
    );
    // Each table has its own batch writer: the alert rows may land a flush after the decisions.
    await waitFor(
      async () => (await queryRows<{ n: number }>(world.clickhouse, `SELECT count() AS n FROM alerts FINAL`))[0]?.n === sent.length,
      { timeoutMs: 30_000, intervalMs: 250, what: () => `6 alert rows
--- fleet ---
${fleet.tail()}` },
    );
    const stored = await queryRows<{ source: string; summary: string; status: string }>(world.clickhouse, 'SELECT source, summary, status FROM alerts FINAL ORDER BY service');
    expect(stored.map((s) => s.source)).toEqual(sent.map(() => 'alertmanager'));
    expect(stored.map((s) => s.summary)).toEqual(sent.map((a) => a.annotations.summary));

    // Resolve them: Alertmanager sends the resolved copies with the original startsAt.
    const endsAt = new Date(Date.now() - 1_000).toISOString();
    const resolved = await fetch(`${am.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sent.map((a) => ({ ...a, endsAt }))),
    });
    expect(resolved.status).toBe(200);
    await waitFor(
      async () => (await queryRows<{ n: number }>(world.clickhouse, `SELECT count() AS n FROM alerts WHERE status = 'resolved'`))[0]?.n === sent.length,
      { timeoutMs: 30_000, intervalMs: 250, what: () => `6 resolved alerts\n${am.output().slice(-3000)}` },
    );
    // A resolution is not a new alert: still exactly one decision per alert.
    const [counts] = await queryRows<{ n: number; ids: number }>(world.clickhouse, 'SELECT count() AS n, uniqExact(alert_id) AS ids FROM decisions FINAL');
    expect(counts).toEqual({ n: sent.length, ids: sent.length });

    const exit = await fleet.stop();
    expect(exit).toEqual({ code: 0, signal: null });
  });
});
