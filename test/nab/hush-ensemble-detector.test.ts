import { describe, expect, it } from 'vitest';
import { HushError } from '../../shared/errors/index.js';
import { DETECTORS, restoreDetector } from '../../workers/metrics/detectors/registry.js';
import { HushEnsembleDetector } from '../../workers/metrics/detectors/hush-ensemble-detector.js';
import type { StreamingDetector } from '../../workers/metrics/detectors/detector.js';

const FIVE_MINUTES = 300_000;

/** A deterministic noisy daily wave (288 rows a day) with optional extra offsets on given rows. */
function wave(rows: number, extra: (row: number) => number = () => 0): number[] {
  let state = 11;
  const noise = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
  return Array.from({ length: rows }, (_, i) => 50 + 10 * Math.sin((2 * Math.PI * i) / 288) + 2 * noise() + extra(i));
}

function run(values: readonly number[], detector: StreamingDetector = new HushEnsembleDetector()): number[] {
  return values.map((value, i) => detector.update(i * FIVE_MINUTES, value));
}

describe('the hush-ensemble detector', () => {
  it('scores every row in [0, 1]', () => {
    const scores = run(wave(3000, (i) => (i === 2000 ? 200 : i >= 2500 && i < 2600 ? -30 : 0)));
    for (const score of scores) expect(score >= 0 && score <= 1).toBe(true);
  });

  it('gives a spike after the probation its highest score, on the spike row', () => {
    const scores = run(wave(3000, (i) => (i === 2000 ? 60 : 0)));
    const spike = scores[2000] as number;
    expect(spike).toBeGreaterThan(0.5);
    expect(Math.max(...scores.slice(600, 2000))).toBeLessThan(spike);
    expect(Math.max(...scores.slice(2001))).toBeLessThan(spike);
  });

  it('takes a value just beyond the range seen so far as extra evidence, over the same jump just inside it', () => {
    const values = wave(3000, (i) => (i === 1000 ? 40 : 0));
    const seen = values.slice(0, 2500);
    const [low, high] = [Math.min(...seen), Math.max(...seen)];
    const at = (value: number): number => run(values.map((v, i) => (i === 2500 ? value : v)))[2500] as number;
    const beyond = at(high + 0.02 * (high - low));
    expect(beyond).toBeGreaterThan(0.85);
    expect(beyond).toBeGreaterThan(at(high - 0.02 * (high - low)) + 0.1);
  });

  it('stays low on a constant series', () => {
    const scores = run(Array.from({ length: 3000 }, () => 42));
    expect(Math.max(...scores)).toBeLessThan(0.05);
  });

  it('is deterministic', () => {
    const values = wave(2500, (i) => (i === 1800 ? 40 : 0));
    expect(run(values)).toEqual(run(values));
  });

  it('never looks ahead: the scores of a prefix do not depend on the rows after it', () => {
    const values = wave(3000, (i) => (i >= 2000 && i < 2100 ? 25 : 0));
    expect(run(values.slice(0, 2050))).toEqual(run(values).slice(0, 2050));
  });

  it('continues from a JSON snapshot taken mid-series with exactly the scores of an uninterrupted run', () => {
    const values = wave(12_000, (i) => (i === 9500 ? 80 : i >= 10_000 && i < 10_300 ? 15 : 0));
    const uninterrupted = run(values);
    for (const cut of [1, 100, 700, 5000, 9501]) {
      const first = new HushEnsembleDetector();
      const before = run(values.slice(0, cut), first);
      const snapshot: unknown = JSON.parse(JSON.stringify(first.snapshot()));
      const restored = restoreDetector('hush-ensemble', snapshot);
      const resumed = values.slice(cut).map((value, i) => restored.update((cut + i) * FIVE_MINUTES, value));
      expect([...before, ...resumed]).toEqual(uninterrupted);
    }
  });

  it('refuses a bad option or a foreign snapshot, naming what is wrong', () => {
    expect(() => new HushEnsembleDetector({ contextBins: -1 })).toThrow(/option contextBins/);
    expect(() => HushEnsembleDetector.restore({ kind: 'gaussian-tail' })).toThrow(HushError);
  });
});

describe('every registered detector', () => {
  for (const [name, { create, restore }] of Object.entries(DETECTORS)) {
    it(`${name} survives a snapshot and restore mid-series`, () => {
      const values = wave(2000, (i) => (i === 1500 ? 50 : 0));
      const uninterrupted = run(values, create());
      const first = create();
      const before = run(values.slice(0, 1200), first);
      const restored = restore(JSON.parse(JSON.stringify(first.snapshot())));
      const resumed = values.slice(1200).map((value, i) => restored.update((1200 + i) * FIVE_MINUTES, value));
      expect([...before, ...resumed]).toEqual(uninterrupted);
    });
  }
});
