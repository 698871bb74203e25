import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDebianPackage } from '../../shared/services/index.js';
import { ROLES } from '../../workers/roles.js';
import { DOCKER_DIR, REPO_ROOT, readYaml } from './deployment-files.js';

const PROMTOOL = '/usr/bin/promtool';
const run = promisify(execFile);

interface ScrapeConfig {
  job_name: string;
  dns_sd_configs: { names: string[]; type: string; port: number }[];
}

interface RuleGroup {
  name: string;
  rules: ({ record: string; expr: string } | { alert: string; expr: string })[];
}

const prometheus = readYaml<{ scrape_configs: ScrapeConfig[]; rule_files: string[] }>('prometheus/prometheus.yml');
const rules = readYaml<{ groups: RuleGroup[] }>('prometheus/rules.yml');

/** `promtool <args…>` in docker/prometheus; resolves with its output, rejects with it on a non-zero exit. */
async function promtool(...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(PROMTOOL, args, { cwd: join(DOCKER_DIR, 'prometheus') });
    return stdout + stderr;
  } catch (thrown) {
    const failure = thrown as { stdout?: string; stderr?: string; message: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${failure.stdout ?? ''}${failure.stderr ?? failure.message}`);
  }
}

describe('docker/prometheus', () => {
  beforeAll(async () => {
    await ensureDebianPackage('prometheus', PROMTOOL);
  }, 600_000);

  it('is a valid configuration with valid rule files', async () => {
    expect(await promtool('check', 'config', 'prometheus.yml')).toContain('SUCCESS');
    expect(await promtool('check', 'rules', 'rules.yml')).toContain('SUCCESS');
    expect(prometheus.rule_files).toEqual(['rules.yml']);
  });

  it('fires each alert when its unit test says so, and not before', async () => {
    const output = await promtool('test', 'rules', 'rules.test.yml');
    expect(output).toContain('SUCCESS');
    const tested = new Set([...readFileSync(join(DOCKER_DIR, 'prometheus', 'rules.test.yml'), 'utf8').matchAll(/alertname: (\w+)/g)].map((m) => m[1]));
    const alerts = rules.groups.flatMap((group) => group.rules.flatMap((rule) => ('alert' in rule ? [rule.alert] : [])));
    expect(alerts.filter((alert) => !tested.has(alert))).toEqual([]);
  });

  it('scrapes every role as its own job, finding each replica of the compose service by DNS', () => {
    const roles = Object.keys(ROLES);
    expect(prometheus.scrape_configs.map((job) => job.job_name).sort()).toEqual(roles.map((role) => `hush-${role}`).sort());
    for (const job of prometheus.scrape_configs) {
      expect(job.dns_sd_configs).toEqual([{ names: [job.job_name.replace(/^hush-/, '')], type: 'A', port: 9464 }]);
    }
  });

  it('alerts when any role has no discovered replica at all', () => {
    const absent = rules.groups.flatMap((group) => group.rules).find((rule) => 'alert' in rule && rule.alert === 'HushRoleAbsent');
    for (const role of Object.keys(ROLES)) expect(absent?.expr).toContain(`absent(up{job="hush-${role}"})`);
  });

  it('uses only metrics that docs/metrics.md documents', () => {
    const documented = readFileSync(join(REPO_ROOT, 'docs', 'metrics.md'), 'utf8');
    const used = new Set(rules.groups.flatMap((group) => group.rules.flatMap((rule) => [...rule.expr.matchAll(/\bhush_[a-z_]+/g)].map((m) => m[0]))));
    expect(used.size).toBeGreaterThan(0);
    expect([...used].filter((metric) => !documented.includes(`\`${metric}\``))).toEqual([]);
  });
});
