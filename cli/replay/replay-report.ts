import { readNdjson } from './ndjson-reader.js';
import type { ReplayResult } from './replay.js';
import { noiseFigures } from '../../shared/baselines/noise-figures.js';
import { truthThreshold, type TruthThreshold } from '../../shared/baselines/truth-threshold.js';
import { DEFAULT_EVALUATION_POLICY } from '../../workers/evaluation/evaluation-policy.js';

/** FNR target of the truth threshold: the one the evaluation certifies thresholds against by default. */
export const TRUTH_THRESHOLD_FNR = DEFAULT_EVALUATION_POLICY.fnrTarget;

/** The figures DESIGN §4–§5 asks for; FNR and precision need the ground truth. */
export interface ReplayReport {
  alerts: number;
  firing: number;
  decisions: number;
  notified: number;
  suppressed: number;
  lost: number;
  rejected_lines: number;
  noise_reduction: number;
  fnr: number | null;
  notify_precision: number | null;
  /**
   * The threshold on the served scores that the ground truth shows would suppress the most at a true FNR
   * ≤ 1% (`truthThreshold`): what the model's ranking allows, beyond the reach of any certified threshold.
   * Null without truth.
   */
  truth_threshold: TruthThreshold | null;
  score_p50_ms: number;
  score_p99_ms: number;
  e2e_p99_ms: number;
  alerts_per_s: number;
}

/** Computes the report; `truthPath` is a `hush synth` truth.ndjson (`{alertId, actionable}` per line). */
export async function buildReplayReport(result: ReplayResult, truthPath?: string): Promise<ReplayReport> {
  const rows = [...result.decisions.values()];
  const actionable = truthPath ? await readActionable(truthPath) : undefined;
  const figures = noiseFigures(result.decisions, actionable);
  const scoreMs = sorted(rows.map((r) => r.scoring_latency_us / 1000));
  const e2eMs = sorted(rows.map((r) => r.e2e_latency_us / 1000));
  return {
    alerts: result.events,
    firing: result.firing,
    decisions: figures.decisions,
    notified: figures.notified,
    suppressed: figures.suppressed,
    lost: result.lost,
    rejected_lines: result.rejected.length,
    noise_reduction: figures.noise_reduction,
    fnr: figures.fnr,
    notify_precision: figures.notify_precision,
    truth_threshold: actionable ? truthThreshold(result.decisions, actionable, TRUTH_THRESHOLD_FNR) : null,
    score_p50_ms: quantile(scoreMs, 0.5),
    score_p99_ms: quantile(scoreMs, 0.99),
    e2e_p99_ms: quantile(e2eMs, 0.99),
    alerts_per_s: result.seconds > 0 ? result.events / result.seconds : 0,
  };
}

/** The truth file as alert id → actionable; lines that are not `{alertId: string, actionable}` are skipped. */
async function readActionable(truthPath: string): Promise<Map<string, boolean>> {
  const actionable = new Map<string, boolean>();
  for await (const line of readNdjson(truthPath)) {
    const truth = line.value as { alertId?: unknown; actionable?: unknown } | undefined;
    if (typeof truth?.alertId === 'string') actionable.set(truth.alertId, truth.actionable === true);
  }
  return actionable;
}

function sorted(values: number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/** Nearest-rank quantile of sorted values (0 when empty). */
export function quantile(sortedValues: Float64Array, q: number): number {
  if (sortedValues.length === 0) return 0;
  const rank = Math.min(sortedValues.length - 1, Math.max(0, Math.ceil(q * sortedValues.length) - 1));
  return sortedValues[rank] as number;
}

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);

/** The report as the lines `hush replay` and `hush demo` print. */
export function formatReplayReport(report: ReplayReport): string {
  return [
    `alerts replayed     ${report.alerts} (${report.firing} firing; ${report.rejected_lines} lines rejected)`,
    `decisions           ${report.decisions} (notify ${report.notified}, suppress ${report.suppressed}; lost ${report.lost})`,
    `noise reduction     ${pct(report.noise_reduction)}   false-negative rate ${pct(report.fnr)}   notify precision ${pct(report.notify_precision)}`,
    ...(report.truth_threshold === null
      ? []
      : [`with the truth      one threshold on these scores could suppress ${pct(report.truth_threshold.noise_reduction)} at a true FNR of ${pct(report.truth_threshold.fnr)} (≤ ${pct(TRUTH_THRESHOLD_FNR)}; no deployment can pick it)`]),
    `scoring latency     p50 ${report.score_p50_ms.toFixed(2)} ms, p99 ${report.score_p99_ms.toFixed(2)} ms (dequeue → decision); e2e p99 ${report.e2e_p99_ms.toFixed(1)} ms`,
    `throughput          ${Math.round(report.alerts_per_s)} alerts/s (replay wall time, decisions included)`,
  ].join('\n');
}
