import { describe, expect, it } from 'vitest';
import { FeatureBins } from '../../workers/training/gbdt/feature-bins.js';
import { GBDT_DEFAULT_PARAMS, resolveGbdtParams } from '../../workers/training/gbdt/gbdt-params.js';
import { binaryLoss, LOG_LOSS } from '../../workers/training/gbdt/log-loss.js';
import { buildHistogram, findBestSplit, SLOT_WIDTH, subtractHistogram } from '../../workers/training/gbdt/histogram.js';
import { fitPlattScaling } from '../../workers/training/gbdt/platt-scaling.js';
import { seededRandom } from '../../workers/training/seeded-random.js';
import { stratifiedSplit } from '../../workers/training/stratified-split.js';
import { prng } from '../helpers/prng.js';

const allRows = (n: number): Uint32Array => Uint32Array.from({ length: n }, (_, i) => i);

describe('feature binning', () => {
  it('gives each of few distinct values its own bin, cut halfway between neighbours', () => {
    const column = Float32Array.from([3, 1, 2, 2, 1, 3, 5, 1]);
    const bins = FeatureBins.fit(column, 1, allRows(column.length), 255);
    expect(Array.from(bins.edges[0] as Float32Array)).toEqual([1.5, 2.5, 4]);
    expect(Array.from(column, (x) => bins.binOf(0, x))).toEqual([2, 0, 1, 1, 0, 2, 3, 0]);
    expect(bins.binOf(0, Number.NaN)).toBe(bins.nanBin(0));
    expect(bins.nanBin(0)).toBe(4);
    expect(bins.binOf(0, -Infinity)).toBe(0);
    expect(bins.binOf(0, Infinity)).toBe(3);
  });

  it('cuts many distinct values at quantiles into at most max_bin bins of similar size', () => {
    const random = prng(1);
    const n = 10_000;
    const column = Float32Array.from({ length: n }, () => random() * 100);
    const bins = FeatureBins.fit(column, 1, allRows(n), 16);
    const counts = new Array<number>(16).fill(0);
    for (const x of column) counts[bins.binOf(0, x)] = (counts[bins.binOf(0, x)] as number) + 1;
    expect((bins.edges[0] as Float32Array).length).toBe(15);
    for (const count of counts) expect(Math.abs(count - n / 16)).toBeLessThan(n / 16 / 10);
  });

  it('keeps a value too frequent for one bin in a bin of its own', () => {
    const random = prng(2);
    const column = Float32Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? 0 : 1 + random()));
    const bins = FeatureBins.fit(column, 1, allRows(column.length), 8);
    const edges = bins.edges[0] as Float32Array;
    expect(edges[0]).toBeGreaterThan(0);
    expect(edges[0]).toBeLessThan(1);
    expect(edges.length).toBeLessThanOrEqual(7);
  });

  it('puts a value in bin b exactly when it is ≤ edge b in float32, also between adjacent floats', () => {
    const a = Math.fround(0.1);
    const bits = new Float32Array([a]);
    const asInt = new Int32Array(bits.buffer);
    asInt[0] = (asInt[0] as number) + 1;
    const b = bits[0] as number;
    const bins = FeatureBins.fit(Float32Array.from([a, b]), 1, allRows(2), 255);
    const edge = (bins.edges[0] as Float32Array)[0] as number;
    expect(edge).toBe(a);
    expect(bins.binOf(0, a)).toBe(0);
    expect(bins.binOf(0, b)).toBe(1);
    const random = prng(4);
    const values = Float32Array.from({ length: 2000 }, () => Math.round(random() * 50) / 7);
    const fitted = FeatureBins.fit(values, 1, allRows(values.length), 20);
    const fittedEdges = fitted.edges[0] as Float32Array;
    for (const x of values) {
      const bin = fitted.binOf(0, x);
      fittedEdges.forEach((e, i) => expect(bin <= i).toBe(x <= e));
    }
  });

  it('bins a row-major matrix one byte per value', () => {
    const features = Float32Array.from([0, 10, 1, 20, 2, Number.NaN]);
    const bins = FeatureBins.fit(features, 2, allRows(3), 255);
    expect(Array.from(bins.binRows(features, 3))).toEqual([0, 0, 1, 1, 2, 2]);
    expect(bins.totalSlots).toBe(4 + 3);
  });
});

describe('histograms', () => {
  const nRows = 500;
  const random = prng(5);
  const features = Float32Array.from({ length: nRows * 3 }, () => Math.floor(random() * 10));
  const bins = FeatureBins.fit(features, 3, allRows(nRows), 255);
  const binned = bins.binRows(features, nRows);
  const derivatives = { grad: Float64Array.from({ length: nRows }, () => random() - 0.5), hess: Float64Array.from({ length: nRows }, () => random()) };
  const used = Int32Array.from([0, 1, 2]);
  const build = (rows: Uint32Array): Float64Array => {
    const hist = new Float64Array(bins.totalSlots * SLOT_WIDTH);
    buildHistogram(hist, binned, bins, used, { rows, start: 0, end: rows.length }, derivatives);
    return hist;
  };

  it('derives a child’s histogram as the parent’s minus its sibling’s', () => {
    const left = allRows(nRows).filter((r) => r % 3 === 0);
    const right = allRows(nRows).filter((r) => r % 3 !== 0);
    const parent = build(allRows(nRows));
    subtractHistogram(parent, build(left));
    const direct = build(right);
    parent.forEach((v, i) => expect(v).toBeCloseTo(direct[i] as number, 9));
  });

  it('finds the split of largest gain and respects min_child_samples', () => {
    // Gradients that only feature 1 explains: negative below 5, positive from 5 up.
    const grad = Float64Array.from({ length: nRows }, (_, r) => ((features[r * 3 + 1] as number) < 5 ? -1 : 1));
    const hess = new Float64Array(nRows).fill(0.25);
    const hist = new Float64Array(bins.totalSlots * SLOT_WIDTH);
    buildHistogram(hist, binned, bins, used, { rows: allRows(nRows), start: 0, end: nRows }, { grad, hess });
    const totals = { grad: grad.reduce((s, g) => s + g, 0), hess: 0.25 * nRows, count: nRows };
    const rules = { lambda: 1, minChildSamples: 1, minSumHessian: 0, minSplitGain: 0 };
    const split = findBestSplit(hist, bins, used, totals, rules);
    expect(split).toMatchObject({ feature: 1, bin: 4 });
    expect((bins.edges[1] as Float32Array)[split?.bin as number]).toBe(4.5);
    expect(findBestSplit(hist, bins, used, totals, { ...rules, minChildSamples: nRows })).toBeNull();
    expect(findBestSplit(hist, bins, used, totals, { ...rules, minSplitGain: 1e9 })).toBeNull();
    expect(findBestSplit(hist, bins, Int32Array.from([0, 2]), totals, rules)?.feature).not.toBe(1);
  });
});

describe('Platt scaling', () => {
  it('recovers the slope and offset that generated the labels', () => {
    const random = prng(6);
    const margins = Float64Array.from({ length: 20_000 }, () => (random() - 0.5) * 8);
    const labels = Uint8Array.from(margins, (m) => (random() < 1 / (1 + Math.exp(-(0.5 * m - 1))) ? 1 : 0));
    const fit = fitPlattScaling(margins, labels);
    expect(fit?.a).toBeCloseTo(0.5, 1);
    expect(fit?.b).toBeCloseTo(-1, 1);
  });

  it('declines a single class or a reversed ranking', () => {
    expect(fitPlattScaling([1, 2, 3], [0, 0, 0])).toBeNull();
    expect(fitPlattScaling([1, 2, 3, 4, 5, 6], [1, 1, 1, 0, 0, 0])).toBeNull();
  });
});

describe('loss', () => {
  const margins = Float64Array.from([-30, -4, -0.5, 0, 0.7, 3, 30]);
  const rows = allRows(margins.length);
  const derivativesOf = (loss: ReturnType<typeof binaryLoss>, y: number): { grad: Float64Array; hess: Float64Array } => {
    const out = { grad: new Float64Array(margins.length), hess: new Float64Array(margins.length) };
    loss.derivatives(rows, new Uint8Array(margins.length).fill(y), new Float64Array(margins.length).fill(2), margins, out);
    return out;
  };

  it('is plain log-loss without label noise', () => {
    expect(binaryLoss(0)).toBe(LOG_LOSS);
    expect(LOG_LOSS.loss(0, 1)).toBeCloseTo(Math.log(2), 12);
  });

  it('corrected for label noise, steps along its own gradient with the Fisher information as hessian', () => {
    const rho = 0.04;
    const loss = binaryLoss(rho);
    for (const y of [0, 1]) {
      const { grad, hess } = derivativesOf(loss, y);
      margins.forEach((z, i) => {
        const h = 1e-5;
        expect(grad[i]).toBeCloseTo((2 * (loss.loss(z + h, y) - loss.loss(z - h, y))) / (2 * h), 6);
        const p = 1 / (1 + Math.exp(-z));
        const q = rho + (1 - 2 * rho) * p;
        expect(hess[i]).toBeCloseTo(Math.max((2 * ((1 - 2 * rho) * p * (1 - p)) ** 2) / (q * (1 - q)), 2e-16), 12);
      });
      // A confidently wrong margin costs at most −log ρ: one flipped label cannot pull without bound.
      expect(loss.loss(y === 1 ? -30 : 30, y)).toBeCloseTo(-Math.log(rho), 6);
      expect(Math.abs(grad[y === 1 ? 0 : margins.length - 1] as number)).toBeLessThan(1e-9);
    }
  });
});

describe('gbdt parameters and sampling', () => {
  it('merges the caller’s values over the defaults', () => {
    expect(resolveGbdtParams({ n_estimators: 10 })).toEqual({ ...GBDT_DEFAULT_PARAMS, n_estimators: 10 });
    expect(resolveGbdtParams({})).toEqual(GBDT_DEFAULT_PARAMS);
  });

  it('holds out each class in proportion, keeping a rare class on both sides', () => {
    const labels = Uint8Array.from({ length: 1000 }, (_, i) => (i < 3 ? 1 : 0));
    const { train, validation } = stratifiedSplit(labels, 0.1, seededRandom(1));
    expect(train.length + validation.length).toBe(1000);
    expect(validation.length).toBe(1 + 100);
    expect(Array.from(validation).filter((r) => r < 3)).toHaveLength(1);
    expect(new Set([...train, ...validation]).size).toBe(1000);
    expect(stratifiedSplit(labels, 0, seededRandom(1)).validation).toHaveLength(0);
  });

  it('draws the same numbers from the same seed, in [0, 1)', () => {
    const a = seededRandom(9);
    const b = seededRandom(9);
    const c = seededRandom(10);
    const drawn = Array.from({ length: 1000 }, () => a());
    expect(drawn).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(drawn).not.toEqual(Array.from({ length: 1000 }, () => c()));
    for (const x of drawn) expect(x >= 0 && x < 1).toBe(true);
  });
});
