import { describe, expect, it } from 'vitest';
import { measureInMemory } from '../../bench/drift/in-memory-window.js';
import { benjaminiHochberg } from '../../shared/stats/index.js';
import { featureDriftRole, FEATURES } from '../../workers/scoring/feature-schema.js';
import { resolveDriftOptions } from '../../workers/drift/drift-options.js';
import { judgeWindow } from '../../workers/drift/window-verdict.js';
import { referenceProfile } from '../../workers/training/reference-profile.js';
import { prng } from '../helpers/prng.js';

/** Three behaviour features, two calendar features and one history feature of the scoring schema. */
const NAMES = ['sev_critical', 'log1p_abs_value', 'svc_severe_15m', 'hour_sin', 'is_weekend', 'rule_log_outcomes'] as const;
const options = resolveDriftOptions();

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * `n` rows. Training: any hour of any day, a rule history of about e² outcomes. `day`: a weekday
 * window of 09:00–10:00 whose rules have a longer history. `shift` moves two behaviour features by 1 SD.
 */
function rows(n: number, seed: number, window: { day: boolean; shift: boolean }): Float32Array[] {
  const random = prng(seed);
  return Array.from({ length: n }, () => {
    const hour = window.day ? 9 + random() : 24 * random();
    return Float32Array.from([
      random() < 0.2 ? 1 : 0,
      2 + normal(random) + (window.shift ? 1 : 0),
      5 + 2 * normal(random) + (window.shift ? 2 : 0),
      Math.sin((2 * Math.PI * hour) / 24),
      window.day ? 0 : random() < 2 / 7 ? 1 : 0,
      2 + normal(random) + (window.day ? 1.5 : 0),
    ]);
  });
}

const columns = (window: readonly Float32Array[]): Float32Array[] => NAMES.map((_, f) => Float32Array.from(window, (row) => row[f] as number));

const reference = rows(2000, 1, { day: false, shift: false });
const features = new Float32Array(reference.length * NAMES.length);
reference.forEach((row, r) => features.set(row, r * NAMES.length));
const profile = referenceProfile({ features, labels: new Uint8Array(reference.length), nRows: reference.length, nFeatures: NAMES.length }, [...NAMES], 2);
const judge = (window: Float32Array[]) => judgeWindow(profile.features, measureInMemory(profile, columns(window), options), options);

describe('dataset drift counts behaviour features only', () => {
  it('declares a drift role for every schema feature: the time of day and week are calendar, accumulated feedback and firing history are history', () => {
    const byRole = (role: string) => FEATURES.filter((f) => f.drift === role).map((f) => f.name);
    expect(byRole('calendar')).toEqual(['hour_sin', 'hour_cos', 'is_weekend']);
    expect(byRole('history')).toEqual(['fp_log_secs_since_prev', 'fp_log_prev_duration', 'rule_actionable_rate', 'rule_log_outcomes']);
    expect(featureDriftRole('latency')).toBe('behaviour');
  });

  it.each([['large', 3000], ['small', 600]] as const)('reports calendar and history features that drifted in a %s one-hour window without calling it dataset drift', (_, n) => {
    const verdict = judge(rows(n, 2, { day: true, shift: false }));
    expect(verdict.features.map((f) => f.name)).toEqual([...NAMES]);
    const outside = verdict.features.filter((f) => !f.inShare);
    expect(outside.map((f) => [f.name, f.role, f.drifted])).toEqual([['hour_sin', 'calendar', true], ['is_weekend', 'calendar', true], ['rule_log_outcomes', 'history', true]]);
    // Counted over every judged feature, 3 of 6 would have been dataset drift (driftShare 0.5).
    expect(verdict).toMatchObject({ counted: 3, drifted: [], driftedShare: 0, datasetDrift: false });
  });

  it('flags dataset drift on the behaviour features alone', () => {
    const verdict = judge(rows(3000, 3, { day: true, shift: true }));
    expect(verdict.drifted.map((f) => f.name)).toEqual(['log1p_abs_value', 'svc_severe_15m']);
    expect(verdict.driftedShare).toBeCloseTo(2 / 3, 12);
    expect(verdict.datasetDrift).toBe(true);
  });

  it('adjusts the p-values of the counted features among themselves, not with the calendar and history ones', () => {
    const verdict = judge(rows(600, 4, { day: true, shift: false }));
    for (const family of [true, false]) {
      const judged = verdict.features.filter((f) => f.inShare === family);
      expect(judged.map((f) => f.adjustedPValue)).toEqual(benjaminiHochberg(judged.map((f) => f.pValue as number)));
    }
  });
});
