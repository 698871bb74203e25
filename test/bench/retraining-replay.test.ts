import { describe, expect, it } from 'vitest';
import { replayJson } from '../../bench/drift/replay-summary.js';
import { replayEpisodes, runRetrainingReplay } from '../../bench/drift/retraining-replay.js';
import { createRedis } from '../../shared/redis/connection.js';
import { resolveDriftOptions } from '../../workers/drift/drift-options.js';
import { resolveRetrainingPolicy } from '../../workers/drift/retraining-policy.js';
import { serviceUrls } from '../helpers/services.js';

describe('retraining replay (bench:drift part 3)', () => {
  it('places two episodes inside the stream, the second running to its end', () => {
    const [first, second] = replayEpisodes(90);
    expect(first).toMatchObject({ startDay: 30, days: 21 });
    expect(second).toMatchObject({ startDay: 60, days: 30 });
  });

  it('replays both arms day by day and reports trainings, noise reduction and FNR of each', async () => {
    const redis = createRedis(serviceUrls().redisUrl);
    try {
      const replay = await runRetrainingReplay(redis, {
        seed: 3, days: 14, alertsPerDay: 300, fixedEveryDays: 7, params: { n_estimators: 20 },
        policy: resolveRetrainingPolicy({ minEvaluationActionable: 100 }), drift: resolveDriftOptions(),
      }, () => {});
      expect(replay.world.firing).toBeGreaterThan(14 * 200);
      // The fixed arm trains on day 1 and a week later. The policy's arm waits at cold start until an
      // evaluation could judge a challenger: this small world never has the default 300 labelled
      // actionable alerts after a training window in 14 days, so the test asks for 100.
      expect(replay.fixed.training_days.map((t) => t.day)).toEqual([1, 8]);
      const [first] = replay.smart.training_days;
      expect(first).toMatchObject({ trigger: 'schedule' });
      expect(first!.day).toBeGreaterThan(1);
      expect(replay.smart.checks['schedule/min-evaluation-actionable']).toBe(first!.day - 1);
      for (const arm of [replay.smart, replay.fixed]) {
        expect(arm.noise_reduction).toBeGreaterThanOrEqual(0);
        expect(arm.noise_reduction).toBeLessThanOrEqual(1);
        expect(Object.keys(arm.periods)).toEqual(['outside-episodes', 'noisy-release', 'incident-season']);
        const judged = Object.values(arm.periods).reduce((n, p) => n + p.decisions, 0);
        expect(judged).toBeLessThan(replay.world.firing);
      }
      // Both arms decide the same alerts: their FNRs differ by the actionable alerts only one of them missed.
      const { smart_only: smartOnly, fixed_only: fixedOnly, p_smart_more: p } = replay.missed_by_one_arm;
      expect(Math.sign((replay.smart.fnr as number) - (replay.fixed.fnr as number))).toBe(Math.sign(smartOnly - fixedOnly));
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThanOrEqual(1);
      const json = replayJson(replay);
      expect(json).toMatchObject({ trainings_smart: replay.smart.trainings, trainings_fixed: 2, noise_reduction_fixed: replay.fixed.noise_reduction, fnr_smart: replay.smart.fnr });
    } finally {
      redis.disconnect();
    }
  }, 240_000);
});
