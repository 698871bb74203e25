import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { prometheusArgs, prometheusConfig, prometheusLayout, prometheusService } from '../../shared/services/index.js';
import { errorCodeOf } from '../helpers/error-code.js';

const run = promisify(execFile);
const PROMTOOL = '/usr/bin/promtool';
const dir = mkdtempSync(join(tmpdir(), 'hush-prometheus-launcher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = { port: 9190, scrapeIntervalSeconds: 15, scrapeJobs: [], remoteWrite: [] };

describe('prometheusConfig', () => {
  it('always scrapes Prometheus itself first, then the given jobs', () => {
    const config = prometheusConfig({ ...base, scrapeIntervalSeconds: 2, scrapeJobs: [{ name: 'gateway', targets: ['127.0.0.1:9464'] }, { name: 'x', targets: ['h:1'], metricsPath: '/m' }] });
    expect(config).toEqual({
      global: { scrape_interval: '2s', evaluation_interval: '2s' },
      scrape_configs: [
        { job_name: 'prometheus', metrics_path: '/metrics', static_configs: [{ targets: ['127.0.0.1:9190'] }] },
        { job_name: 'gateway', metrics_path: '/metrics', static_configs: [{ targets: ['127.0.0.1:9464'] }] },
        { job_name: 'x', metrics_path: '/m', static_configs: [{ targets: ['h:1'] }] },
      ],
      remote_write: [],
    });
  });

  it('sends the bearer token only to destinations that have one', () => {
    const config = prometheusConfig({ ...base, remoteWrite: [{ url: 'http://a/w', bearerToken: 't' }, { url: 'http://b/w' }] }) as { remote_write: unknown[] };
    expect(config.remote_write).toEqual([{ url: 'http://a/w', authorization: { type: 'Bearer', credentials: 't' } }, { url: 'http://b/w' }]);
  });
});

describe('prometheusService', () => {
  it('runs on loopback with config, data and log under <home>/prometheus', () => {
    const layout = prometheusLayout('/h');
    expect(layout).toEqual({ dir: '/h/prometheus', configFile: '/h/prometheus/prometheus.yml', dataDir: '/h/prometheus/data', logFile: '/h/prometheus/prometheus.log' });
    expect(prometheusArgs(9190, layout)).toEqual(['--config.file=/h/prometheus/prometheus.yml', '--storage.tsdb.path=/h/prometheus/data', '--web.listen-address=127.0.0.1:9190']);
    const service = prometheusService({ home: '/h' });
    expect(service).toMatchObject({ name: 'prometheus', url: 'http://127.0.0.1:9190', logFiles: ['/h/prometheus/prometheus.log'] });
  });

  it('fails fast on an invalid option, naming it', () => {
    expect(errorCodeOf(() => prometheusService({ home: dir, port: 70_000 }))).toBe('HUSH_ERR_CONFIG');
    expect(() => prometheusService({ home: dir, port: 0 })).toThrow(/option port/);
    expect(() => prometheusService({ home: dir, scrapeIntervalSeconds: 0.5 })).toThrow(/option scrapeIntervalSeconds/);
  });

  it('writes a config that Prometheus accepts, whatever characters a token holds', async () => {
    const token = 'tok: "quoted" # not a comment\n  key: injected';
    const service = prometheusService({ home: dir, port: 9191, scrapeJobs: [{ name: 'scoring', targets: ['127.0.0.1:9465'] }], remoteWrite: [{ url: 'http://127.0.0.1:8080/api/v1/metrics/write', bearerToken: token }] });
    const command = await service.prepare();
    expect(command.binary).toBe('/usr/bin/prometheus');
    const configFile = prometheusLayout(dir).configFile;
    expect(JSON.parse(readFileSync(configFile, 'utf8')).remote_write[0].authorization.credentials).toBe(token);
    const { stdout } = await run(PROMTOOL, ['check', 'config', configFile]);
    expect(stdout).toMatch(/SUCCESS/);
  });
});
