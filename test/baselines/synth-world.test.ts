import { describe, expect, it } from 'vitest';
import type { Alert } from '../../schemas/alert.js';
import { parseAlert } from '../../schemas/parse-alert.js';
import { AlertmanagerGrouping, AutoPause, type Baseline, SeverityFilter, scoreBaseline } from '../../shared/baselines/index.js';
import { collectWorld } from '../synth/world-fixture.js';

const world = collectWorld({ seed: 1, days: 2 });
const alerts: Alert[] = world.alerts.map((wire) => {
  const parsed = parseAlert(wire, { tenant: 'demo' });
  if (!parsed.ok) throw new Error(`${parsed.error.field}: ${parsed.error.message}`);
  return parsed.value;
});
const truth = new Map(world.truth.map((t) => [t.alertId, t.actionable]));
const firingIds = alerts.filter((a) => a.status === 'firing').map((a) => a.id);
const baselines: Baseline[] = [new AlertmanagerGrouping(), new AutoPause(), new SeverityFilter()];

describe('the baselines on a synthetic world (seed 1, 2 days)', () => {
  it.each(baselines.map((b) => [b.name, b] as const))('%s decides every firing alert once, with figures in [0, 1]', (_, baseline) => {
    const decisions = baseline.decide(alerts);
    expect([...decisions.keys()].sort()).toEqual([...firingIds].sort());
    const score = scoreBaseline(baseline.name, decisions, truth);
    expect(score.unlabelled).toBe(0);
    expect(score.actionable).toBeGreaterThan(0);
    for (const figure of [score.noise_reduction, score.fnr, score.notify_precision]) {
      expect(figure).toBeGreaterThanOrEqual(0);
      expect(figure).toBeLessThanOrEqual(1);
    }
    expect(score.notified + score.suppressed).toBe(firingIds.length);
  });

  it.each(baselines.map((b) => [b.name, b] as const))('%s gives the same decisions on every run', (_, baseline) => {
    expect([...baseline.decide(alerts)]).toEqual([...baseline.decide(alerts)]);
  });

  it("severity-filter's decisions follow the severities exactly", () => {
    const decisions = new SeverityFilter().decide(alerts);
    for (const alert of alerts.filter((a) => a.status === 'firing')) {
      expect(decisions.get(alert.id)?.decision).toBe(alert.severity === 'critical' || alert.severity === 'error' ? 'notify' : 'suppress');
    }
  });

  it('auto-pause delays every notified alert by the hold, and Alertmanager by at most repeat_interval plus a group_interval', () => {
    for (const d of new AutoPause().decide(alerts).values()) if (d.decision === 'notify') expect(d.delayMs).toBe(300_000);
    for (const d of new AlertmanagerGrouping().decide(alerts).values()) {
      if (d.decision === 'notify') expect(d.delayMs).toBeGreaterThanOrEqual(0);
      if (d.decision === 'notify') expect(d.delayMs).toBeLessThanOrEqual(4 * 3_600_000 + 300_000);
    }
  });
});
