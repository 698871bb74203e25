import { beforeAll, describe, expect, it } from 'vitest';
import { SEVERITIES, TENANT_PATTERN, type AlertWire } from '../../schemas/alert.js';
import { OUTCOME_KINDS, OUTCOME_SOURCES } from '../../schemas/outcome.js';
import { MECHANISMS, MECHANISM_NAMES } from '../../synth/mechanism.js';
import { collectWorld, type CollectedWorld } from './world-fixture.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const PII = /[\w.+-]+@[\w-]+\.[\w.]+|\b(?:192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}\b|token=|Bearer /;

let world: CollectedWorld;
let truthById: Map<string, (typeof world.truth)[number]>;
let firingById: Map<string, AlertWire>;

beforeAll(() => {
  world = collectWorld({ seed: 7, days: 7, tenant: 'acme' });
  truthById = new Map(world.truth.map((t) => [t.alertId, t]));
  firingById = new Map(world.alerts.filter((a) => a.status === 'firing').map((a) => [a.id as string, a]));
});

function validateAlert(alert: AlertWire): string[] {
  const problems: string[] = [];
  const a = alert as unknown as Record<string, unknown>;
  for (const key of ['source', 'name', 'service']) if (typeof a[key] !== 'string' || a[key] === '') problems.push(key);
  if (typeof a.id !== 'string' || a.id.length === 0 || a.id.length > 128) problems.push('id');
  if (typeof a.tenant !== 'string' || !TENANT_PATTERN.test(a.tenant)) problems.push('tenant');
  if (!(SEVERITIES as readonly unknown[]).includes(a.severity)) problems.push('severity');
  if (a.status !== 'firing' && a.status !== 'resolved') problems.push('status');
  if (typeof a.startsAt !== 'string' || !RFC3339.test(a.startsAt) || Number.isNaN(Date.parse(a.startsAt))) problems.push('startsAt');
  if (a.status === 'resolved' && (typeof a.endsAt !== 'string' || !RFC3339.test(a.endsAt))) problems.push('endsAt');
  if (a.status === 'firing' && a.endsAt !== null && a.endsAt !== undefined) problems.push('endsAt');
  if (typeof a.summary !== 'string' || Buffer.byteLength(a.summary) > 2048) problems.push('summary');
  if (typeof a.value !== 'number' || !Number.isFinite(a.value)) problems.push('value');
  const labels = a.labels as Record<string, unknown> | undefined;
  if (!labels || Object.values(labels).some((v) => typeof v !== 'string')) problems.push('labels');
  for (const key of ['alertname', 'instance', 'job', 'team', 'env']) if (typeof labels?.[key] !== 'string') problems.push(`labels.${key}`);
  const known = new Set(['id', 'tenant', 'source', 'name', 'service', 'severity', 'status', 'startsAt', 'endsAt', 'summary', 'labels', 'value', 'fingerprint']);
  for (const key of Object.keys(a)) if (!known.has(key)) problems.push(`unknown field ${key}`);
  return problems;
}

describe('synthetic world', () => {
  it('writes only alert lines that are valid per DESIGN §2', () => {
    const bad = world.alerts.map((a) => ({ id: a.id, problems: validateAlert(a) })).filter((r) => r.problems.length > 0);
    expect(bad.slice(0, 5)).toEqual([]);
    expect(world.alerts.every((a) => a.tenant === 'acme')).toBe(true);
  });

  it('keeps alerts sorted by startsAt and outcomes sorted by at', () => {
    const starts = world.alerts.map((a) => Date.parse(a.startsAt));
    expect(starts.every((t, i) => i === 0 || t >= (starts[i - 1] as number))).toBe(true);
    const ats = world.outcomes.map((o) => Date.parse(o.outcome.at));
    expect(ats.every((t, i) => i === 0 || t >= (ats[i - 1] as number))).toBe(true);
  });

  it('stays inside the requested days from the fixed epoch', () => {
    const first = Date.parse(world.alerts[0]?.startsAt ?? '');
    const last = Date.parse(world.alerts.at(-1)?.startsAt ?? '');
    expect(first).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 5));
    expect(last).toBeLessThan(Date.UTC(2026, 0, 12));
  });

  it('follows every resolved line with an earlier firing line of the same id, at most once', () => {
    const fired = new Set<string>();
    const resolved = new Set<string>();
    const problems: string[] = [];
    for (const alert of world.alerts) {
      const id = alert.id as string;
      if (alert.status === 'firing') {
        if (fired.has(id)) problems.push(`${id} fired twice`);
        fired.add(id);
        continue;
      }
      const firing = firingById.get(id);
      if (!fired.has(id) || !firing) problems.push(`${id} resolved before firing`);
      else if (resolved.has(id)) problems.push(`${id} resolved twice`);
      else if (Date.parse(alert.startsAt) <= Date.parse(firing.startsAt) || alert.name !== firing.name || alert.service !== firing.service) {
        problems.push(`${id} resolved line does not match its firing line`);
      }
      resolved.add(id);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(resolved.size / fired.size).toBeGreaterThan(0.95);
  });

  it('writes one truth line per firing alert and nothing else', () => {
    expect(world.truth.length).toBe(firingById.size);
    expect(world.truth.every((t) => firingById.has(t.alertId) && t.tenant === 'acme')).toBe(true);
  });

  it('produces every mechanism, each with its expected label', () => {
    for (const mechanism of MECHANISM_NAMES) {
      const lines = world.truth.filter((t) => t.mechanism === mechanism);
      expect(lines.length, mechanism).toBeGreaterThan(5);
      expect(lines.every((t) => t.actionable === MECHANISMS[mechanism].actionable), mechanism).toBe(true);
    }
  });

  it('is mostly noise, with a few percent of irreducible ambiguity', () => {
    const noise = world.truth.filter((t) => !t.actionable).length / world.truth.length;
    expect(noise).toBeGreaterThan(0.75);
    expect(noise).toBeLessThan(0.9);
    const ambiguous = world.truth.filter((t) => t.mechanism === 'false-alarm-cascade' || t.mechanism === 'brief-real-problem').length;
    expect(ambiguous / world.truth.length).toBeGreaterThan(0.005);
    expect(ambiguous / world.truth.length).toBeLessThan(0.03);
  });

  it('has a natural rate of 3-8k firing alerts a day', () => {
    expect(world.truth.length / 7).toBeGreaterThan(3000);
    expect(world.truth.length / 7).toBeLessThan(8000);
  });

  it('sends outcomes only for known firing alerts, after them, within hours', () => {
    const problems: string[] = [];
    for (const { outcome } of world.outcomes) {
      const firing = firingById.get(outcome.alertId);
      const delay = Date.parse(outcome.at) - Date.parse(firing?.startsAt ?? '');
      if (!firing) problems.push(`${outcome.alertId} unknown`);
      else if (!(delay > 60_000 && delay <= 12 * 3_600_000)) problems.push(`${outcome.alertId} delay ${delay}`);
      if (!OUTCOME_KINDS.includes(outcome.outcome) || !OUTCOME_SOURCES.includes(outcome.source) || outcome.tenant !== 'acme') {
        problems.push(`${outcome.alertId} invalid ${JSON.stringify(outcome)}`);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(new Set(world.outcomes.map((o) => o.outcome.alertId)).size).toBe(world.outcomes.length);
  });

  it('leaves about 10% of alerts without outcome and flips about 3% of labels', () => {
    const missing = 1 - world.outcomes.length / world.truth.length;
    expect(missing).toBeGreaterThan(0.08);
    expect(missing).toBeLessThan(0.13);
    const flipped = world.outcomes.filter(({ outcome }) => (outcome.outcome === 'actionable') !== truthById.get(outcome.alertId)?.actionable);
    expect(flipped.length / world.outcomes.length).toBeGreaterThan(0.022);
    expect(flipped.length / world.outcomes.length).toBeLessThan(0.038);
    expect(flipped.length).toBe(world.outcomes.filter((o) => o.mislabeled).length);
  });

  it('does not let severity predict the label', () => {
    const criticalNoise = world.truth.filter((t) => !t.actionable && firingById.get(t.alertId)?.severity === 'critical');
    const chronicCritical = world.truth.filter((t) => t.mechanism === 'chronic' && firingById.get(t.alertId)?.severity === 'critical');
    const warningReal = world.truth.filter((t) => t.actionable && firingById.get(t.alertId)?.severity === 'warning');
    expect(criticalNoise.length).toBeGreaterThan(100);
    expect(chronicCritical.length).toBeGreaterThan(0);
    expect(warningReal.length).toBeGreaterThan(100);
  });

  it('sends duplicates from a second source seconds after an original of the same rule and instance', () => {
    const byKey = new Map<string, AlertWire[]>();
    for (const alert of world.alerts) {
      if (alert.status !== 'firing') continue;
      const key = `${alert.name}|${alert.service}|${alert.labels?.instance}`;
      byKey.set(key, [...(byKey.get(key) ?? []), alert]);
    }
    const duplicates = world.truth.filter((t) => t.mechanism === 'duplicate');
    for (const dup of duplicates.slice(0, 300)) {
      const line = firingById.get(dup.alertId) as AlertWire;
      const key = `${line.name}|${line.service}|${line.labels?.instance}`;
      const t = Date.parse(line.startsAt);
      const original = byKey.get(key)?.find((a) => a.id !== line.id && a.source !== line.source
        && t - Date.parse(a.startsAt) >= 0 && t - Date.parse(a.startsAt) <= 40_000 && truthById.get(a.id as string)?.mechanism !== 'duplicate');
      expect(original, dup.alertId).toBeDefined();
    }
  });

  it('makes incidents co-fire across several services', () => {
    const incident = world.truth.filter((t) => t.mechanism === 'incident').map((t) => firingById.get(t.alertId) as AlertWire);
    const servicesPerHalfHour = new Map<number, Set<string>>();
    for (const alert of incident) {
      const slot = Math.floor(Date.parse(alert.startsAt) / 1_800_000);
      servicesPerHalfHour.set(slot, (servicesPerHalfHour.get(slot) ?? new Set()).add(alert.service));
    }
    const widest = Math.max(...[...servicesPerHalfHour.values()].map((s) => s.size));
    expect(widest).toBeGreaterThanOrEqual(3);
  });

  it('puts personal data in some summaries, for the scoring path to strip', () => {
    const withPii = world.alerts.filter((a) => a.status === 'firing' && PII.test(a.summary ?? '')).length;
    expect(withPii / firingById.size).toBeGreaterThan(0.02);
    expect(withPii / firingById.size).toBeLessThan(0.3);
  });

  it('is busier during weekday business hours than at night and at weekends', () => {
    let business = 0;
    let night = 0;
    for (const alert of firingById.values()) {
      const d = new Date(alert.startsAt);
      const weekday = d.getUTCDay() >= 1 && d.getUTCDay() <= 5;
      if (weekday && d.getUTCHours() >= 10 && d.getUTCHours() < 16) business++;
      if (weekday && d.getUTCHours() >= 0 && d.getUTCHours() < 6) night++;
    }
    expect(business).toBeGreaterThan(1.5 * night);
  });
});
