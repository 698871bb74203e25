import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { burnRateAlertRules } from '../../grafana/alert-rules.js';
import { CLICKHOUSE_PLUGIN, GF_INSTALL_PLUGINS } from '../../grafana/clickhouse-plugin.js';
import { allDashboards } from '../../grafana/dashboards/index.js';
import { provisioningFiles } from '../../grafana/provisioning-files.js';
import { PLACEHOLDER, toPanelSql } from '../../grafana/sql/shared-query-sql.js';
import { defaultSlos, sloValueSql } from '../../grafana/sql/slo-sql.js';
import { sqlString } from '../../shared/clickhouse/sql-escape.js';
import { SLO_SPEC, type SloSpec } from '../../shared/slo/slos.js';
import { REPO_ROOT } from '../helpers/fleet.js';
import { renderPanelSql } from './render-panel-sql.js';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(join(REPO_ROOT, dir), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(REPO_ROOT.length)).sort();
}

const panels = allDashboards().flatMap((d) => d.panels);
const sqlTexts = [
  ...panels.flatMap((p) => (p.source === 'clickhouse' ? [p.sql] : [])),
  ...burnRateAlertRules().flatMap((r) => r.data.flatMap((q) => (typeof q.model.rawSql === 'string' ? [q.model.rawSql] : []))),
];

describe('Grafana provisioning', () => {
  it('is committed exactly as npm run grafana:build generates it', async () => {
    const generated = provisioningFiles();
    expect(await filesUnder('grafana/provisioning')).toEqual(generated.map((f) => f.path).sort());
    for (const file of generated) expect(await readFile(join(REPO_ROOT, file.path), 'utf8'), file.path).toBe(file.content);
  });

  it('provisions the ClickHouse plugin at the pinned version the panels were written for', async () => {
    const datasources = parse(await readFile(join(REPO_ROOT, 'grafana/provisioning/datasources/hush.yaml'), 'utf8')) as { datasources: { type: string; jsonData: { version?: string } }[] };
    const clickhouse = datasources.datasources.find((d) => d.type === CLICKHOUSE_PLUGIN.id);
    expect(clickhouse?.jsonData.version).toBe(CLICKHOUSE_PLUGIN.version);
    expect(GF_INSTALL_PLUGINS).toBe(`grafana-clickhouse-datasource ${CLICKHOUSE_PLUGIN.version}`);
    const targets = provisioningFiles()
      .filter((f) => f.path.endsWith('.json'))
      .flatMap((f) => (JSON.parse(f.content) as { panels: { targets: { datasource: { type: string }; pluginVersion?: string }[] }[] }).panels.flatMap((p) => p.targets))
      .filter((t) => t.datasource.type === CLICKHOUSE_PLUGIN.id);
    expect(targets.length).toBeGreaterThan(10);
    for (const target of targets) expect(target.pluginVersion).toBe(CLICKHOUSE_PLUGIN.version);
  });

  it('writes no SQL that ClickHouse 18.16 lacks', () => {
    for (const sql of sqlTexts) {
      expect(sql).not.toMatch(/toStartOfInterval|DateTime64|\bOVER\s*\(|(?<!\$)\{\w+:\w+\}|\$__timeInterval|\$__\w+_ms\b/);
    }
  });

  it('queries only Prometheus metrics that a role registers', async () => {
    const sources = await Promise.all((await Promise.all(['workers', 'shared', 'queues'].map(filesUnder))).flat().filter((f) => f.endsWith('.ts')).map((f) => readFile(join(REPO_ROOT, f), 'utf8')));
    const registered = sources.join('\n');
    const metrics = new Set(panels.flatMap((p) => (p.source === 'prometheus' ? p.queries.flatMap((q) => q.expr.match(/hush_\w+/g) ?? []) : [])).map((m) => m.replace(/_bucket$/, '')));
    expect(metrics.size).toBeGreaterThan(5);
    for (const metric of metrics) expect(registered, metric).toContain(`'${metric}'`);
  });

  it('has fast-burn (1 h & 5 m at 14.4×, 6 h & 30 m at 6×) and slow-burn (3 d & 6 h at 1×) rules for every SLO that can reach the rate', () => {
    const rules = burnRateAlertRules().map((r) => `${r.labels.slo} ${r.labels.severity} ${r.data[0]?.relativeTimeRange?.from}/${r.data[1]?.relativeTimeRange?.from} ${r.data[2]?.model.expression}`);
    const all = (slo: string): string[] => [
      `${slo} page 3600/300 $A >= 14.4 && $B >= 14.4`,
      `${slo} page 21600/1800 $A >= 6 && $B >= 6`,
      `${slo} ticket 259200/21600 $A >= 1 && $B >= 1`,
    ];
    // Noise reduction's 55% budget caps its burn rate at 1.8×: only the ticket can ever fire.
    expect(rules).toEqual([
      `noise_reduction ticket 259200/21600 $A >= 1 && $B >= 1`,
      ...all('false_negatives'),
      ...all('e2e_latency'),
      ...all('inference_latency'),
      ...all('freshness'),
    ]);
    expect(new Set(burnRateAlertRules().map((r) => r.uid)).size).toBe(rules.length);
  });
});

describe('SLO values in panel SQL', () => {
  const spec: SloSpec = { ...SLO_SPEC, tenants: { acme: { noise_reduction: { objective: 0.6 } }, beta: { e2e_latency: { windowDays: 7 } } } };

  it('writes a literal when no tenant overrides the value, and transform(tenant, …) when one does', () => {
    expect(sloValueSql('false_negatives', 'errorBudget', 'tenant', spec)).toBe(String(1 - 0.985));
    expect(sloValueSql('noise_reduction', 'errorBudget', 'tenant', spec)).toBe(`transform(tenant, ['acme'], [${1 - 0.6}], ${1 - 0.45})`);
    expect(sloValueSql('e2e_latency', 'windowDays', 'tenant', spec)).toBe("transform(tenant, ['beta'], [7], 30)");
  });

  it('refuses per-tenant latency thresholds, which the panels cannot read from the rollups', () => {
    expect(() => defaultSlos({ ...SLO_SPEC, tenants: { acme: { e2e_latency: { threshold: 250 } } } })).toThrow(/tenants\.acme\.e2e_latency\.threshold/);
  });
});

describe('panel SQL from the shared query builders', () => {
  const from = `toDateTime(${PLACEHOLDER.from / 1000})`;
  const to = `toDateTime(${PLACEHOLDER.to / 1000})`;

  it('swaps placeholder times and tenant for the plugin macros and the tenant variable', () => {
    const sql = `SELECT 1 FROM t WHERE tenant = ${sqlString(PLACEHOLDER.tenant)} AND m >= ${from} AND m < ${to} AND h >= toDateTime(${PLACEHOLDER.to / 1000} - 60)`;
    expect(toPanelSql(sql, { tenant: true })).toBe('SELECT 1 FROM t WHERE tenant = ${tenant:sqlstring} AND m >= $__fromTime AND m < $__toTime AND h >= toDateTime(toUInt32($__toTime) - 60)');
  });

  it('fails when a builder no longer writes the placeholders', () => {
    expect(() => toPanelSql('SELECT 1', { tenant: false })).toThrow(/no placeholder time/);
    expect(() => toPanelSql(`SELECT ${from}`, { tenant: true })).toThrow(/no placeholder tenant/);
  });
});

describe('the test renderer expands macros as the ClickHouse plugin does', () => {
  const context = { from: 1415792726_000, to: 1447328726_999, intervalMs: 20_000, variables: { tenant: "o'brien" } };

  it('expands the time macros to second-precision DateTime literals, longest name first', () => {
    expect(renderPanelSql('SELECT $__fromTime, $__toTime WHERE $__timeFilter(time)', context))
      .toBe('SELECT toDateTime(1415792726), toDateTime(1447328726) WHERE time >= toDateTime(1415792726) AND time <= toDateTime(1447328726)');
    expect(renderPanelSql('SELECT intDiv(toUInt32(t), $__interval_s) * $__interval_s', { ...context, intervalMs: 500 })).toBe('SELECT intDiv(toUInt32(t), 1) * 1');
  });

  it('keeps nested brackets in a macro argument and quotes sqlstring variables', () => {
    expect(renderPanelSql('$__timeFilter(toStartOfHour(t)) AND tenant = ${tenant:sqlstring}', context))
      .toBe("toStartOfHour(t) >= toDateTime(1415792726) AND toStartOfHour(t) <= toDateTime(1447328726) AND tenant = 'o''brien'");
  });

  it('refuses macros it does not implement rather than send them unexpanded', () => {
    expect(() => renderPanelSql('SELECT $__timeInterval(t)', context)).toThrow(/not implemented/);
  });
});
