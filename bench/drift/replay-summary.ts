import type { RetrainingReplayFigures } from './retraining-replay.js';

/** Issue 4: at least 50% fewer trainings, noise reduction within 1 point, FNR not worse. */
export const REPLAY_TARGETS = { training_reduction: 0.5, noise_reduction_gap: 0.01, fnr_not_worse: true } as const;

/** The figures of one arm that the targets read. */
export type ArmTotals = Pick<RetrainingReplayFigures['smart'], 'trainings' | 'noise_reduction' | 'fnr'>;

/** Which of the three targets the policy's arm meets against the fixed arm (null: not judged, no training or no actionable alert). */
export function replayOk(smart: ArmTotals, fixed: ArmTotals): { training_reduction: boolean | null; noise_reduction: boolean; fnr: boolean | null } {
  return {
    training_reduction: fixed.trainings > 0 ? 1 - smart.trainings / fixed.trainings >= REPLAY_TARGETS.training_reduction : null,
    noise_reduction: smart.noise_reduction >= fixed.noise_reduction - REPLAY_TARGETS.noise_reduction_gap,
    fnr: smart.fnr === null || fixed.fnr === null ? null : smart.fnr <= fixed.fnr,
  };
}

/** The replay's figures as fields of the benchmark's JSON line. */
export function replayJson(replay: RetrainingReplayFigures | null): Record<string, unknown> {
  if (replay === null) return { trainings_smart: null, trainings_fixed: null, noise_reduction_smart: null, noise_reduction_fixed: null, fnr_smart: null, fnr_fixed: null, replay: null };
  const { smart, fixed } = replay;
  const reduction = fixed.trainings > 0 ? 1 - smart.trainings / fixed.trainings : null;
  return {
    trainings_smart: smart.trainings,
    trainings_fixed: fixed.trainings,
    noise_reduction_smart: smart.noise_reduction,
    noise_reduction_fixed: fixed.noise_reduction,
    fnr_smart: smart.fnr,
    fnr_fixed: fixed.fnr,
    replay_targets: REPLAY_TARGETS,
    replay_ok: replayOk(smart, fixed),
    replay: { ...replay, training_reduction: reduction === null ? null : Number(reduction.toFixed(4)) },
  };
}

/** Human-readable lines of the replay for stdout. */
export function replayTable(replay: RetrainingReplayFigures): string[] {
  const pct = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(2)}%`);
  const lines = [
    `\nretraining replay: ${replay.world.days} days, ${replay.world.firing} firing alerts (${replay.world.labelled} labelled), episodes ${replay.world.episodes.map((e) => `${e.name} days ${e.startDay}–${e.startDay + e.days - 1}`).join(', ')}; judged from day ${replay.measured_from_day} on the ground truth`,
    `${'arm'.padEnd(8)} ${'trainings'.padStart(9)} ${'promoted'.padStart(8)} ${'re-cert.'.padStart(8)} ${'noise red.'.padStart(10)} ${'FNR'.padStart(7)}  by period (noise red. / FNR)`,
  ];
  for (const [name, arm] of [['smart', replay.smart], ['fixed', replay.fixed]] as const) {
    const periods = Object.entries(arm.periods).map(([p, f]) => `${p} ${pct(f.noise_reduction)} / ${pct(f.fnr)}`).join('; ');
    lines.push(`${name.padEnd(8)} ${String(arm.trainings).padStart(9)} ${String(arm.promotions).padStart(8)} ${`${arm.recertifications.applied}/${arm.recertifications.attempts}`.padStart(8)} ${pct(arm.noise_reduction).padStart(10)} ${pct(arm.fnr).padStart(7)}  ${periods}`);
  }
  const missed = replay.missed_by_one_arm;
  lines.push(`truly actionable alerts missed by one arm only: smart ${missed.smart_only}, fixed ${missed.fixed_only} (one-sided exact McNemar p that smart misses more: ${missed.p_smart_more})`);
  lines.push(`smart policy checks (trigger/result): ${Object.entries(replay.smart.checks).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  lines.push(`features ${replay.feature_seconds} s, day-by-day replay ${replay.replay_seconds} s (training ${replay.smart.train_seconds} s smart, ${replay.fixed.train_seconds} s fixed)`);
  return lines;
}
