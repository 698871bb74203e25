import { afterAll, describe, expect, it } from 'vitest';
import { buildReplayReport, formatReplayReport, quantile } from '../../cli/replay/replay-report.js';
import type { ReplayResult } from '../../cli/replay/replay.js';
import type { DecisionOutcomeRow } from '../../shared/clickhouse/queries/stream-decisions.js';
import { tempDir } from './ndjson-files.js';

const dir = tempDir();
afterAll(() => dir.remove());

function row(id: string, decision: 'notify' | 'suppress', scoringMs: number, e2eMs: number): DecisionOutcomeRow {
  return { alert_id: id, decision, score: decision === 'notify' ? 0.9 : 0.1, scoring_latency_us: scoringMs * 1000, e2e_latency_us: e2eMs * 1000 };
}

/** 10 firing alerts: a1–a4 notified, a5–a10 suppressed; latencies 1..10 ms (e2e 10× that). */
function result(overrides: Partial<ReplayResult> = {}): ReplayResult {
  const decisions = new Map<string, DecisionOutcomeRow>();
  for (let i = 1; i <= 10; i += 1) decisions.set(`a${i}`, row(`a${i}`, i <= 4 ? 'notify' : 'suppress', i, i * 10));
  return { events: 25, firing: 10, outcomes: 5, rejected: [{ file: 'x', line: 3, message: 'bad' }], decisions, lost: 0, seconds: 5, outcomeBarriers: 0, ...overrides };
}

describe('buildReplayReport', () => {
  it('counts decisions, noise reduction, latency quantiles and throughput', async () => {
    const report = await buildReplayReport(result());
    expect(report).toEqual({
      alerts: 25,
      firing: 10,
      decisions: 10,
      notified: 4,
      suppressed: 6,
      lost: 0,
      rejected_lines: 1,
      noise_reduction: 0.6,
      fnr: null,
      notify_precision: null,
      truth_threshold: null,
      score_p50_ms: 5,
      score_p99_ms: 10,
      e2e_p99_ms: 100,
      alerts_per_s: 5,
    });
  });

  it('computes the false-negative rate and notify precision from a truth file', async () => {
    // Actionable: a1, a2 (notified) and a5 (suppressed); a11 is actionable but has no decision; a3 is noise.
    const truth = dir.write('truth.ndjson', [
      { alertId: 'a1', actionable: true },
      { alertId: 'a2', actionable: true },
      { alertId: 'a3', actionable: false },
      { alertId: 'a5', actionable: true },
      { alertId: 'a11', actionable: true },
      'not json',
      { actionable: true },
    ]);
    const report = await buildReplayReport(result(), truth);
    expect(report.fnr).toBeCloseTo(1 / 3, 10);
    expect(report.notify_precision).toBeCloseTo(2 / 4, 10);
    // Scores: a1–a4 0.9, a5–a10 0.1. Two actionable alerts decided at 0.9, one at 0.1: no miss is allowed
    // (1% of 3), so nothing scored 0.1 may go.
    expect(report.truth_threshold).toEqual({ threshold: 0.1, noise_reduction: 0, fnr: 0 });
  });

  it('reports an FNR of 0 when nothing actionable was decided, and no precision without notifications', async () => {
    const decisions = new Map([['a1', row('a1', 'suppress', 1, 1)]]);
    const truth = dir.write('noise-only.ndjson', [{ alertId: 'a1', actionable: false }]);
    const report = await buildReplayReport(result({ decisions, firing: 1 }), truth);
    expect(report.fnr).toBe(0);
    expect(report.notify_precision).toBeNull();
  });

  it('reports zeros for an empty replay', async () => {
    const report = await buildReplayReport(result({ decisions: new Map(), events: 0, firing: 0, seconds: 0, rejected: [] }));
    expect(report).toMatchObject({ decisions: 0, noise_reduction: 0, score_p50_ms: 0, score_p99_ms: 0, e2e_p99_ms: 0, alerts_per_s: 0 });
  });
});

describe('formatReplayReport', () => {
  it('prints the figures on labelled lines, the truth threshold when there is truth', async () => {
    const truth = dir.write('truth2.ndjson', [{ alertId: 'a1', actionable: true }, { alertId: 'a5', actionable: true }]);
    const text = formatReplayReport(await buildReplayReport(result({ lost: 2 }), truth));
    expect(text.split('\n')).toEqual([
      'alerts replayed     25 (10 firing; 1 lines rejected)',
      'decisions           10 (notify 4, suppress 6; lost 2)',
      'noise reduction     60.00%   false-negative rate 50.00%   notify precision 25.00%',
      'with the truth      one threshold on these scores could suppress 0.00% at a true FNR of 0.00% (≤ 1.00%; no deployment can pick it)',
      'scoring latency     p50 5.00 ms, p99 10.00 ms (dequeue → decision); e2e p99 100.0 ms',
      'throughput          5 alerts/s (replay wall time, decisions included)',
    ]);
  });

  it('shows n/a for figures that need a truth file', async () => {
    expect(formatReplayReport(await buildReplayReport(result()))).toContain('false-negative rate n/a   notify precision n/a');
  });
});

describe('quantile', () => {
  it('is the nearest-rank quantile of sorted values', () => {
    const values = Float64Array.from([1, 2, 3, 4]);
    expect(quantile(values, 0)).toBe(1);
    expect(quantile(values, 0.5)).toBe(2);
    expect(quantile(values, 0.75)).toBe(3);
    expect(quantile(values, 0.99)).toBe(4);
    expect(quantile(values, 1)).toBe(4);
    expect(quantile(new Float64Array(0), 0.5)).toBe(0);
  });
});
