import { describe, expect, it } from 'vitest';
import { HushError } from '../../shared/errors/index.js';
import { GaussianTailDetector } from '../../workers/metrics/detectors/gaussian-tail-detector.js';
import { detectorFactory, DETECTORS } from '../../workers/metrics/detectors/registry.js';
import { RollingMoments } from '../../workers/metrics/detectors/rolling-moments.js';
import { normalSurprise } from '../../workers/metrics/detectors/normal-surprise.js';

/** A deterministic noisy daily-ish wave with a level shift on rows 600-619. */
function series(rows: number): number[] {
  let state = 7;
  const noise = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
  return Array.from({ length: rows }, (_, i) => 10 + Math.sin(i / 20) + noise() + (i >= 600 && i < 620 ? 8 : 0));
}

function run(values: number[]): number[] {
  const detector = new GaussianTailDetector();
  return values.map((value, i) => detector.update(i * 300_000, value));
}

describe('the gaussian-tail baseline detector', () => {
  it('scores every row in [0, 1], and 0 while it warms up', () => {
    const scores = run(series(800));
    for (const score of scores) expect(score >= 0 && score <= 1).toBe(true);
    expect(scores.slice(0, 100).every((s) => s === 0)).toBe(true);
  });

  it('scores a level shift far above the ordinary noise before it', () => {
    const scores = run(series(800));
    const before = Math.max(...scores.slice(200, 600));
    expect(Math.max(...scores.slice(600, 610))).toBeGreaterThan(before);
  });

  it('never looks ahead: the scores of a prefix do not depend on the rows after it', () => {
    const values = series(800);
    expect(run(values.slice(0, 610))).toEqual(run(values).slice(0, 610));
  });

  it('refuses a bad option, naming it', () => {
    expect(() => new GaussianTailDetector({ valueWindow: 0 })).toThrow(/option valueWindow must be a positive integer/);
    expect(() => new GaussianTailDetector({ averagingWindow: 2.5 })).toThrow(HushError);
  });

  it('is registered by name, and an unknown name lists the known ones', () => {
    expect(Object.keys(DETECTORS)).toContain('gaussian-tail');
    expect(detectorFactory('gaussian-tail')()).toBeInstanceOf(GaussianTailDetector);
    expect(() => detectorFactory('nope')).toThrow(/unknown detector "nope"; known: gaussian-tail/);
  });
});

describe('detector building blocks', () => {
  it('keeps the mean and sample deviation of the last N numbers', () => {
    const moments = new RollingMoments(3);
    for (const value of [100, 1, 2, 3]) moments.push(value);
    expect(moments.count).toBe(3);
    expect(moments.mean).toBeCloseTo(2, 12);
    expect(moments.std).toBeCloseTo(1, 12);
  });

  it('measures normal surprise in decimal digits, beyond where the tail underflows', () => {
    expect(normalSurprise(0)).toBeCloseTo(Math.log10(2), 6);
    expect(normalSurprise(3.090232)).toBeCloseTo(3, 5);
    expect(normalSurprise(-3.090232)).toBeCloseTo(-Math.log10(1 - 1e-3), 6);
    expect(normalSurprise(40)).toBeGreaterThan(normalSurprise(39));
    expect(Number.isFinite(normalSurprise(40))).toBe(true);
  });
});
