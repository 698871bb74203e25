import { describe, expect, it } from 'vitest';
import { AnomalyLikelihood } from '../../workers/metrics/detectors/anomaly-likelihood.js';
import { ContextNovelty } from '../../workers/metrics/detectors/context-novelty.js';
import { DailyRecurrence } from '../../workers/metrics/detectors/daily-recurrence.js';
import { EmpiricalTail } from '../../workers/metrics/detectors/empirical-tail.js';
import { HushEnsembleDetector } from '../../workers/metrics/detectors/hush-ensemble-detector.js';
import { RangeNovelty } from '../../workers/metrics/detectors/range-novelty.js';
import { SeasonalError } from '../../workers/metrics/detectors/seasonal-error.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('the ensemble building blocks', () => {
  it('gives a record high among n scores log10(2(n + 1)) digits of empirical surprise', () => {
    const tail = new EmpiricalTail(100, 1000);
    for (let i = 0; i < 99; i++) tail.update(0.1 + i / 1000);
    expect(tail.update(0.9)).toBeCloseTo(Math.log10(200), 9);
    expect(tail.update(0.0)).toBeCloseTo(0, 1);
  });

  it('caps the normal tail of the anomaly likelihood near the empirical one', () => {
    const likelihood = new AnomalyLikelihood({ averagingWindow: 1, historyWindow: 500, learningRows: 10, minStd: 0.02, tailCap: 1, tailTop: 1 });
    for (let i = 0; i < 400; i++) likelihood.update(i % 2 === 0 ? 0.1 : 0.12);
    const surprise = likelihood.update(1);
    expect(surprise).toBeGreaterThan(2);
    expect(surprise).toBeLessThanOrEqual(Math.log10(2 * 401) + 1 + 1e-9);
  });

  it('finds a routine continuation unsurprising and a never-seen one novel', () => {
    const context = new ContextNovelty(1000, 10, 3);
    let routine = 1;
    for (let i = 0; i < 600; i++) routine = context.update(i % 4 < 2 ? 0 : 10);
    expect(routine).toBeLessThan(0.1);
    expect(context.update(5)).toBeGreaterThan(0.9);
  });

  it('measures how far a value leaves the range seen so far', () => {
    const range = new RangeNovelty();
    expect(range.update(0)).toBe(0);
    expect(range.update(10)).toBe(Number.MAX_VALUE);
    expect(range.update(5)).toBe(0);
    expect(range.update(15)).toBeCloseTo(0.5, 12);
    expect(range.update(12)).toBe(0);
  });

  it('predicts a daily pattern from the time of day once it has seen it', () => {
    const seasonal = new SeasonalError(96, 0.05, 0.2, 0.02);
    const value = (t: number): number => (Math.floor((t % DAY) / HOUR) < 12 ? 0 : 100);
    let lastRatio = Infinity;
    for (let t = 0; t < 10 * DAY; t += HOUR / 4) lastRatio = seasonal.update(t, value(t) + ((t / HOUR) % 3));
    expect(lastRatio).toBeLessThan(3);
    expect(seasonal.update(10 * DAY + 3 * HOUR, 100)).toBeGreaterThan(5);
  });

  it('recalls a surprise seen at the same time of day on earlier days, not on the same day', () => {
    const recurrence = new DailyRecurrence(48, 0.9);
    expect(recurrence.update(3 * HOUR, 5)).toBe(0);
    expect(recurrence.update(3 * HOUR + 10 * 60_000, 1)).toBe(0);
    expect(recurrence.update(DAY + 3 * HOUR + 20 * 60_000, 0)).toBeCloseTo(5 * 0.9 ** (1 + 20 / 1440), 9);
    expect(recurrence.update(DAY + 9 * HOUR, 0)).toBe(0);
  });
});

describe('the hush-ensemble detector at onsets', () => {
  function noisy(rows: number, extra: (row: number) => number): number[] {
    let state = 5;
    const noise = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
    return Array.from({ length: rows }, (_, i) => 20 + noise() + extra(i));
  }

  it('reports a lasting level shift once, at its start', () => {
    const values = noisy(3000, (i) => (i >= 2000 ? 10 : 0));
    const detector = new HushEnsembleDetector();
    const scores = values.map((value, i) => detector.update(i * 300_000, value));
    const onset = Math.max(...scores.slice(2000, 2005));
    expect(onset).toBeGreaterThan(0.7);
    expect(Math.max(...scores.slice(2005))).toBeLessThan(onset);
    expect(Math.max(...scores.slice(600, 2000))).toBeLessThan(onset);
  });

  it('scores a spike that recurs every day at the same hour lower than its first occurrence', () => {
    const rowsPerDay = 288;
    const values = noisy(rowsPerDay * 12, (i) => (i >= 4 * rowsPerDay && i % rowsPerDay === 40 ? 8 : 0));
    const detector = new HushEnsembleDetector();
    const scores = values.map((value, i) => detector.update(i * 300_000, value));
    const first = scores[4 * rowsPerDay + 40] as number;
    const later = scores.slice(8 * rowsPerDay).reduce((max, s) => Math.max(max, s), 0);
    expect(first).toBeGreaterThan(0.5);
    expect(later).toBeLessThan(first);
  });
});
