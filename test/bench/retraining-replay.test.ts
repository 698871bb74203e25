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
        policy: resolveRetrainingPolicy(), drift: resolveDriftOptions(),
      }, () => {});
      expect(replay.world.firing).toBeGreaterThan(14 * 200);
      // The fixed arm trains on day 1 and a week later; the policy's arm at least once (cold start is due at once).
      expect(replay.fixed.training_days.map((t) => t.day)).toEqual([1, 8]);
      expect(replay.smart.trainings).toBeGreaterThanOrEqual(1);
      expect(replay.smart.training_days[0]).toMatchObject({ day: 1, trigger: 'schedule' });
      for (const arm of [replay.smart, replay.fixed]) {
        expect(arm.noise_reduction).toBeGreaterThanOrEqual(0);
        expect(arm.noise_reduction).toBeLessThanOrEqual(1);
        expect(Object.keys(arm.periods)).toEqual(['outside-episodes', 'noisy-release', 'incident-season']);
        const judged = Object.values(arm.periods).reduce((n, p) => n + p.decisions, 0);
        expect(judged).toBeLessThan(replay.world.firing);
      }
      const json = replayJson(replay);
      expect(json).toMatchObject({ trainings_smart: replay.smart.trainings, trainings_fixed: 2, noise_reduction_fixed: replay.fixed.noise_reduction, fnr_smart: replay.smart.fnr });
    } finally {
      redis.disconnect();
    }
  }, 240_000);
});
