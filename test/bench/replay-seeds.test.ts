import { describe, expect, it } from 'vitest';
import { replayFields, replayLines, seedsTable, summariseSeeds } from '../../bench/drift/replay-seeds.js';
import type { ArmFigures, RetrainingReplayFigures } from '../../bench/drift/retraining-replay.js';
import { resolveRetrainingPolicy } from '../../workers/drift/retraining-policy.js';

const arm = (trainings: number, noiseReduction: number, fnr: number | null): ArmFigures => ({
  trainings, promotions: 1, noise_reduction: noiseReduction, fnr, notify_precision: null, periods: {}, training_days: [],
  recertifications: { attempts: 0, applied: 0, days: [] }, train_seconds: 0,
});

const replay = (smart: ArmFigures, fixed: ArmFigures): RetrainingReplayFigures => ({
  smart: { ...smart, checks: {} }, fixed,
  missed_by_one_arm: { smart_only: 0, fixed_only: 0, p_smart_more: 1 },
  world: { firing: 0, labelled: 0, actionable_share: 0, days: 90, episodes: [] },
  policy: { options: resolveRetrainingPolicy({}) }, measured_from_day: 1, feature_seconds: 0, replay_seconds: 0,
});

describe('retraining replay over several seeds', () => {
  const seeds = [
    // all three targets met
    { seed: 1, smart: arm(6, 0.10, 0.001), fixed: arm(13, 0.105, 0.002) },
    // noise reduction 1.5 points behind
    { seed: 2, smart: arm(6, 0.09, 0.001), fixed: arm(13, 0.105, 0.002) },
    // 7 trainings of 13 is not half, and the FNR is worse
    { seed: 3, smart: arm(7, 0.11, 0.003), fixed: arm(13, 0.11, 0.002) },
  ];

  it('judges each seed on the three targets and counts the seeds that meet them', () => {
    const summary = summariseSeeds(seeds);
    expect(summary.seeds.map((s) => s.ok)).toEqual([
      { training_reduction: true, noise_reduction: true, fnr: true },
      { training_reduction: true, noise_reduction: false, fnr: true },
      { training_reduction: false, noise_reduction: true, fnr: false },
    ]);
    expect(summary.met_all).toBe(1);
    expect(summary.met).toEqual({ training_reduction: 2, noise_reduction: 2, fnr: 2 });
    expect(summary.mean.trainings_smart).toBeCloseTo(19 / 3, 3);
    expect(summary.mean.fnr_fixed).toBeCloseTo(0.002, 9);
  });

  it('gives the paired noise-reduction gap a Student t interval over the seeds', () => {
    const { noise_reduction_gap: gap } = summariseSeeds(seeds);
    // gaps −0.005, −0.015, 0: mean −0.00667, sd 0.00764, t(0.975, 2) = 4.3027
    expect(gap.mean).toBeCloseTo(-0.0067, 4);
    const half = (4.302653 * 0.0076376) / Math.sqrt(3);
    expect(gap.ci95?.[0]).toBeCloseTo(-0.006667 - half, 3);
    expect(gap.ci95?.[1]).toBeCloseTo(-0.006667 + half, 3);
    expect(summariseSeeds(seeds.slice(0, 1)).noise_reduction_gap.ci95).toBeNull();
  });

  it('leaves an FNR it cannot judge out of the counts, and refuses an empty list', () => {
    const summary = summariseSeeds([{ seed: 4, smart: arm(5, 0.1, null), fixed: arm(13, 0.1, 0.001) }]);
    expect(summary.seeds[0]?.ok.fnr).toBeNull();
    expect(summary.met_all).toBe(0);
    expect(summary.mean.fnr_smart).toBeNull();
    expect(() => summariseSeeds([])).toThrow(/at least one replay/);
  });

  it('prints a row per seed, the means and the verdict', () => {
    const lines = seedsTable(summariseSeeds(seeds), 7);
    expect(lines[0]).toContain('3 seeds');
    expect(lines[0]).toContain('every 7 days');
    expect(lines.find((l) => l.startsWith('2 '))).toContain('met, missed, met');
    expect(lines.at(-1)).toBe('seeds meeting all three targets: 1 of 3 (trainings 2, noise reduction 2, FNR 2)');
  });

  it("keeps one seed's JSON fields as they were, and gives means with every seed's verdict for several", () => {
    const one = replayFields({ fixedEveryDays: 7, runs: [{ seed: 1, replay: replay(seeds[0]!.smart, seeds[0]!.fixed) }] });
    expect(one).toMatchObject({ trainings_smart: 6, noise_reduction_fixed: 0.105, replay_ok: { training_reduction: true, noise_reduction: true, fnr: true }, replay_fixed_every_days: 7 });
    expect(one).not.toHaveProperty('replay_seeds');
    const runs = seeds.map(({ seed, smart, fixed }) => ({ seed, replay: replay(smart, fixed) }));
    const several = replayFields({ fixedEveryDays: 14, runs });
    expect(several).toMatchObject({ trainings_fixed: 13, replay_fixed_every_days: 14, replay_ok: { training_reduction: true, noise_reduction: true, fnr: true } });
    expect((several.replay_seeds as { met_all: number }).met_all).toBe(1);
    expect(replayLines({ fixedEveryDays: 14, runs }).filter((l) => l.startsWith('\nseed '))).toHaveLength(3);
    expect(replayFields(null)).toMatchObject({ trainings_smart: null, replay: null });
  });
});
