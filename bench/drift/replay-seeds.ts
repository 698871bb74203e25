import { studentTQuantile } from '../../shared/evaluation/student-t-quantile.js';
import type { RetrainingReplayFigures } from './retraining-replay.js';
import { REPLAY_TARGETS, replayJson, replayOk, replayTable, type ArmTotals } from './replay-summary.js';

/** One replay per seed, in the order they ran, each against training every `fixedEveryDays` days. */
export interface SeedRuns {
  fixedEveryDays: number;
  runs: readonly { seed: number; replay: RetrainingReplayFigures }[];
}

/** stdout lines of the replays: each seed's table, and with several seeds the verdict across them. */
export function replayLines({ fixedEveryDays, runs }: SeedRuns): string[] {
  if (runs.length === 1) return replayTable((runs[0] as SeedRuns['runs'][number]).replay);
  const lines = runs.flatMap(({ seed, replay }) => [`\nseed ${seed}:`, ...replayTable(replay)]);
  return [...lines, ...seedsTable(summaryOf(runs), fixedEveryDays)];
}

/**
 * The replays' fields of the benchmark's JSON line: one seed's figures as they are, or with several seeds
 * the means under the same names, judged against the targets, and every seed's verdict under `replay_seeds`.
 */
export function replayFields(seedRuns: SeedRuns | null): Record<string, unknown> {
  if (seedRuns === null) return replayJson(null);
  const { fixedEveryDays, runs } = seedRuns;
  if (runs.length === 1) return { ...replayJson((runs[0] as SeedRuns['runs'][number]).replay), replay_fixed_every_days: fixedEveryDays };
  const summary = summaryOf(runs);
  const { mean } = summary;
  return {
    trainings_smart: mean.trainings_smart,
    trainings_fixed: mean.trainings_fixed,
    noise_reduction_smart: mean.noise_reduction_smart,
    noise_reduction_fixed: mean.noise_reduction_fixed,
    fnr_smart: mean.fnr_smart,
    fnr_fixed: mean.fnr_fixed,
    replay_targets: REPLAY_TARGETS,
    replay_ok: replayOk(
      { trainings: mean.trainings_smart, noise_reduction: mean.noise_reduction_smart, fnr: mean.fnr_smart },
      { trainings: mean.trainings_fixed, noise_reduction: mean.noise_reduction_fixed, fnr: mean.fnr_fixed },
    ),
    replay_fixed_every_days: fixedEveryDays,
    replay_seeds: summary,
  };
}

/** The figures of one seed's replay that its verdict reads. */
export interface SeedReplay {
  seed: number;
  smart: ArmTotals;
  fixed: ArmTotals;
}

/** One seed's figures and which of issue 4's three targets it meets. */
export interface SeedVerdict {
  seed: number;
  trainings: { smart: number; fixed: number };
  noise_reduction: { smart: number; fixed: number; gap: number };
  fnr: { smart: number | null; fixed: number | null };
  ok: ReturnType<typeof replayOk>;
}

/** Several seeds' replays: each one's verdict, and how the arms compare across the seeds. */
export interface SeedsSummary {
  seeds: SeedVerdict[];
  /** Seeds that meet all three targets. */
  met_all: number;
  /** Seeds meeting each target on its own. */
  met: { training_reduction: number; noise_reduction: number; fnr: number };
  mean: { trainings_smart: number; trainings_fixed: number; noise_reduction_smart: number; noise_reduction_fixed: number; fnr_smart: number | null; fnr_fixed: number | null };
  /**
   * Smart minus fixed noise reduction, paired by seed: its mean and a two-sided 95% Student t interval
   * (null with one seed). Each seed is one world and one trajectory of both arms, so the seeds are the
   * independent replicates; the target asks the gap to stay above −0.01.
   */
  noise_reduction_gap: { mean: number; ci95: [number, number] | null };
}

function summaryOf(runs: SeedRuns['runs']): SeedsSummary {
  return summariseSeeds(runs.map(({ seed, replay }) => ({ seed, smart: replay.smart, fixed: replay.fixed })));
}

/** Issue 4's verdict for every seed, and across them. */
export function summariseSeeds(replays: readonly SeedReplay[]): SeedsSummary {
  if (replays.length === 0) throw new Error('summariseSeeds needs at least one replay');
  const seeds = replays.map(verdictOf);
  const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
  const meanOrNull = (values: readonly (number | null)[]): number | null => (values.some((v) => v === null) ? null : mean(values as number[]));
  const gaps = seeds.map((s) => s.noise_reduction.gap);
  return {
    seeds,
    met_all: seeds.filter((s) => s.ok.training_reduction === true && s.ok.noise_reduction && s.ok.fnr === true).length,
    met: {
      training_reduction: seeds.filter((s) => s.ok.training_reduction === true).length,
      noise_reduction: seeds.filter((s) => s.ok.noise_reduction).length,
      fnr: seeds.filter((s) => s.ok.fnr === true).length,
    },
    mean: {
      trainings_smart: round(mean(seeds.map((s) => s.trainings.smart))),
      trainings_fixed: round(mean(seeds.map((s) => s.trainings.fixed))),
      noise_reduction_smart: round(mean(seeds.map((s) => s.noise_reduction.smart))),
      noise_reduction_fixed: round(mean(seeds.map((s) => s.noise_reduction.fixed))),
      fnr_smart: roundOrNull(meanOrNull(seeds.map((s) => s.fnr.smart))),
      fnr_fixed: roundOrNull(meanOrNull(seeds.map((s) => s.fnr.fixed))),
    },
    noise_reduction_gap: { mean: round(mean(gaps)), ci95: meanInterval(gaps) },
  };
}

/** Lines for stdout: a row per seed, then the means and the paired gap. */
export function seedsTable(summary: SeedsSummary, fixedEveryDays: number): string[] {
  const pct = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(2)}%`);
  const mark = (ok: boolean | null): string => (ok === null ? '?' : ok ? 'met' : 'missed');
  const lines = [
    `\nretraining replay over ${summary.seeds.length} seeds: policy (smart) against training every ${fixedEveryDays} days (fixed)`,
    `${'seed'.padEnd(10)} ${'trainings'.padStart(9)} ${'noise reduction'.padStart(17)} ${'gap'.padStart(7)} ${'FNR'.padStart(13)}  targets (trainings, noise reduction, FNR)`,
  ];
  for (const s of summary.seeds) {
    lines.push(
      `${String(s.seed).padEnd(10)} ${`${s.trainings.smart}/${s.trainings.fixed}`.padStart(9)} ${`${pct(s.noise_reduction.smart)}/${pct(s.noise_reduction.fixed)}`.padStart(17)} ` +
        `${(100 * s.noise_reduction.gap).toFixed(2).padStart(7)} ${`${pct(s.fnr.smart)}/${pct(s.fnr.fixed)}`.padStart(13)}  ${mark(s.ok.training_reduction)}, ${mark(s.ok.noise_reduction)}, ${mark(s.ok.fnr)}`,
    );
  }
  const { mean, noise_reduction_gap: gap } = summary;
  const n = summary.seeds.length;
  lines.push(
    `${'mean'.padEnd(10)} ${`${mean.trainings_smart.toFixed(1)}/${mean.trainings_fixed.toFixed(1)}`.padStart(9)} ${`${pct(mean.noise_reduction_smart)}/${pct(mean.noise_reduction_fixed)}`.padStart(17)} ` +
      `${(100 * gap.mean).toFixed(2).padStart(7)} ${`${pct(mean.fnr_smart)}/${pct(mean.fnr_fixed)}`.padStart(13)}`,
  );
  const interval = gap.ci95 === null ? 'one seed: no interval' : `95% interval ${(100 * gap.ci95[0]).toFixed(2)} to ${(100 * gap.ci95[1]).toFixed(2)} points`;
  lines.push(`noise reduction gap (smart − fixed, paired by seed): mean ${(100 * gap.mean).toFixed(2)} points, ${interval}; target ≥ −${100 * REPLAY_TARGETS.noise_reduction_gap}`);
  lines.push(`seeds meeting all three targets: ${summary.met_all} of ${n} (trainings ${summary.met.training_reduction}, noise reduction ${summary.met.noise_reduction}, FNR ${summary.met.fnr})`);
  return lines;
}

function verdictOf(replay: SeedReplay): SeedVerdict {
  const { smart, fixed } = replay;
  const gap = smart.noise_reduction - fixed.noise_reduction;
  return {
    seed: replay.seed,
    trainings: { smart: smart.trainings, fixed: fixed.trainings },
    noise_reduction: { smart: smart.noise_reduction, fixed: fixed.noise_reduction, gap: round(gap) },
    fnr: { smart: smart.fnr, fixed: fixed.fnr },
    ok: replayOk(smart, fixed),
  };
}

/** Two-sided 95% Student t interval of the mean; null with fewer than two values. */
function meanInterval(values: readonly number[]): [number, number] | null {
  const n = values.length;
  if (n < 2) return null;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = studentTQuantile(0.975, n - 1) * (sd / Math.sqrt(n));
  return [round(mean - half), round(mean + half)];
}

const round = (x: number): number => Number(x.toFixed(4));
const roundOrNull = (x: number | null): number | null => (x === null ? null : round(x));
