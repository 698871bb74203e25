import { describe, expect, it } from 'vitest';
import { dailySpread, isDailySpread, liveNoiseReductionUpper, MIN_ALERTS_PER_DAY } from '../../shared/evaluation/daily-spread.js';
import { wilson } from '../../shared/evaluation/binomial-bounds.js';
import { studentTQuantile } from '../../shared/evaluation/student-t-quantile.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 5);

/** `alerts` alerts a day at the given daily noise reductions, spread over each day. */
function days(rates: number[], alerts = 100): { times: number[]; suppressed: boolean[] } {
  const times: number[] = [];
  const suppressed: boolean[] = [];
  rates.forEach((rate, d) => {
    for (let i = 0; i < alerts; i++) {
      times.push(START + d * DAY + Math.floor((i * DAY) / alerts));
      suppressed.push(i < Math.round(rate * alerts));
    }
  });
  return { times, suppressed };
}

describe('daily spread of noise reduction', () => {
  it('is the sample standard deviation of the daily figures, by UTC day', () => {
    const { times, suppressed } = days([0.1, 0.2, 0.3, 0.2]);
    const spread = dailySpread(times, (i) => suppressed[i] as boolean);
    expect(spread?.days).toBe(4);
    // Mean 0.2, squared deviations 0.01 + 0 + 0.01 + 0 over 3.
    expect(spread?.sd).toBeCloseTo(Math.sqrt(0.02 / 3), 12);
  });

  it('leaves out days with too few alerts to say anything, and is null with fewer than three days', () => {
    const full = days([0.1, 0.3, 0.2]);
    const sparse = days([0.9, 0.9], MIN_ALERTS_PER_DAY - 1);
    const times = [...full.times, ...sparse.times.map((t) => t + 3 * DAY)];
    const suppressed = [...full.suppressed, ...sparse.suppressed];
    expect(dailySpread(times, (i) => suppressed[i] as boolean)).toEqual({ days: 3, sd: expect.closeTo(0.1, 12) });
    const two = days([0.1, 0.3]);
    expect(dailySpread(two.times, (i) => two.suppressed[i] as boolean)).toBeNull();
  });

  it('is recognised when read back from evidence, and malformed spreads are not', () => {
    expect(isDailySpread({ days: 5, sd: 0.02 })).toBe(true);
    for (const bad of [null, undefined, {}, { days: 2, sd: 0.1 }, { days: 5, sd: -1 }, { days: 5.5, sd: 0.1 }, { days: 5, sd: '0.1' }]) expect(isDailySpread(bad)).toBe(false);
  });
});

describe('live noise-reduction upper bound', () => {
  it('is the Wilson bound without a spread, or when the spread is narrower than the sampling error', () => {
    const wilsonUpper = wilson(150, 1000, { confidence: 0.95, sides: 'upper' }).upper;
    expect(liveNoiseReductionUpper(150, 1000, 1, 0.95, null)).toBe(wilsonUpper);
    expect(liveNoiseReductionUpper(150, 1000, 1, 0.95, { days: 5, sd: 0.001 })).toBe(wilsonUpper);
  });

  it('adds t·sd·√(1/days + 1/n), the prediction margin of n reference days, at most 1', () => {
    // The 95% quantile of t with 4 degrees of freedom is 2.131846786.
    expect(liveNoiseReductionUpper(150, 1000, 4, 0.95, { days: 5, sd: 0.1 })).toBeCloseTo(0.15 + 2.131846786 * 0.1 * Math.sqrt(1 / 4 + 1 / 5), 8);
    expect(liveNoiseReductionUpper(950, 1000, 1, 0.95, { days: 5, sd: 0.3 })).toBe(1);
  });
});

describe('Student t quantile', () => {
  it('solves P(T > t) = 1 − p to 1e-12', () => {
    // Roots of ½·betainc(dof/2, ½, dof/(dof + t²)) = 1 − p by scipy's brentq (xtol 1e-15). scipy 1.10's
    // own t.ppf (cdflib) is off by up to 2e-9: 2.13184678133629 for (0.95, 4).
    const cases: [number, number, number][] = [
      [0.95, 4, 2.131846786326649],
      [0.95, 2, 2.9199855803537247],
      [0.95, 9, 1.8331129326562365],
      [0.975, 30, 2.0422724563012378],
      [0.99, 1, 31.820515953773942],
      [0.05, 9, -1.8331129326562365],
    ];
    for (const [p, dof, expected] of cases) expect(Math.abs(studentTQuantile(p, dof) / expected - 1)).toBeLessThan(1e-12);
    expect(studentTQuantile(0.5, 3)).toBe(0);
  });

  it('rejects a probability outside (0, 1) or a non-positive dof', () => {
    for (const [p, dof] of [[0, 3], [1, 3], [0.9, 0], [0.9, Number.NaN]] as const) {
      expect(() => studentTQuantile(p, dof)).toThrow(expect.objectContaining({ code: 'HUSH_ERR_VALIDATION' }));
    }
  });

  it('rejects impossible counts', () => {
    expect(() => liveNoiseReductionUpper(11, 10, 1, 0.95, null)).toThrow(expect.objectContaining({ code: 'HUSH_ERR_VALIDATION' }));
  });
});
