import type { ClickHouseClient } from '@clickhouse/client';
import { HushError } from '../../errors/index.js';
import { sqlNumber } from '../sql-escape.js';
import { windowFeaturesSql, type DriftWindow, type WindowRead } from './drift-window.js';

/** Equal-width value cells over `[from, to)`: `count` cells, plus one below `from` and one at or above `to`. */
export interface CellGrid {
  from: number;
  to: number;
  count: number;
}

/** How to bucket one feature: by its reference categories, or by the reference PSI bin edges within fine value cells. */
export type HistogramSpec = { categories: readonly number[] } | { edges: readonly number[]; cells: CellGrid };

/** The window's values of one numeric feature that share a value cell and a PSI bin: how many, the least and the greatest. */
export interface ValueCell {
  psiBin: number;
  count: number;
  min: number;
  max: number;
}

/** Bucket counts of one feature in the window. */
export interface FeatureHistogram {
  /** Rows of the window (each carries every feature of the spec list). */
  n: number;
  /**
   * Categorical: `counts[0]` = values outside the reference categories, `counts[k]` = the k-th category.
   * Numeric: `counts[b]` = values in PSI bin b, `[e₍b₋₁₎, e_b)`, outer bins open.
   */
  counts: number[];
  /** Numeric: the non-empty (cell, PSI bin) groups in value order; null for a categorical feature. */
  cells: ValueCell[] | null;
}

/** Cell of `value` in `grid`: 0 below `from`, 1 … count inside, count + 1 at or above `to` (NaN: 0). The SQL computes the same. */
export function cellOf(value: number, grid: CellGrid): number {
  const cell = Math.floor((value - grid.from) * cellScale(grid)) + 1;
  return Number.isNaN(cell) ? 0 : Math.min(grid.count + 1, Math.max(cell, 0));
}

function cellScale(grid: CellGrid): number {
  return grid.count / (grid.to - grid.from);
}

/** Where one feature's keys start in the query's key space, and what a key means there. */
interface Layout {
  base: number;
  spec: HistogramSpec;
  grid: CellGrid;
  /** Keys per cell: 1 + the most PSI edges (numeric) or categories (categorical) that share one cell. */
  stride: number;
  /** The PSI edges (numeric) or categories (categorical) inside each cell, ascending. */
  marks: Map<number, number[]>;
  /** Numeric: PSI edges in the cells before each cell. */
  edgesBefore: number[];
  /** Categorical: bucket (1 …) of each category. */
  bucketOf: Map<number, number>;
}

/** Categorical features get a few cells just to find their categories by key lookup (the value must still equal one). */
function categoryGrid(categories: readonly number[]): CellGrid {
  if (categories.length === 0) return { from: 0, to: 1, count: 1 };
  const lo = Math.min(...categories);
  const hi = Math.max(...categories);
  return { from: lo - 1, to: hi + 1, count: 4 * categories.length };
}

function layouts(specs: readonly HistogramSpec[]): { layouts: Layout[]; size: number } {
  let size = 0;
  const out = specs.map((spec) => {
    const grid = 'edges' in spec ? spec.cells : categoryGrid(spec.categories);
    if (!(grid.count >= 1 && Number.isInteger(grid.count) && grid.to > grid.from && Number.isFinite(grid.from) && Number.isFinite(grid.to))) {
      throw new HushError('HUSH_ERR_INTERNAL', `invalid value cells ${JSON.stringify(grid)}`);
    }
    const marks = new Map<number, number[]>();
    for (const mark of 'edges' in spec ? spec.edges : [...spec.categories].sort((a, b) => a - b)) {
      const cell = cellOf(mark, grid);
      marks.set(cell, [...(marks.get(cell) ?? []), mark]);
    }
    const stride = 1 + Math.max(0, ...[...marks.values()].map((m) => m.length));
    const edgesBefore: number[] = [];
    if ('edges' in spec) {
      let before = 0;
      for (let cell = 0; cell <= grid.count + 1; cell += 1) {
        edgesBefore.push(before);
        before += marks.get(cell)?.length ?? 0;
      }
    }
    const bucketOf = new Map('categories' in spec ? spec.categories.map((c, k) => [c, k + 1] as const) : []);
    const base = size;
    size += (grid.count + 2) * stride;
    return { base, spec, grid, stride, marks, edgesBefore, bucketOf };
  });
  return { layouts: out, size };
}

const float64s = (values: readonly number[]): string => `CAST([${values.map((v) => sqlNumber(v)).join(', ')}] AS Array(Float64))`;
const uints = (values: readonly number[], type: string): string => `CAST([${values.map((v) => sqlNumber(v)).join(', ')}] AS Array(${type}))`;

/**
 * Per-feature histograms of a window, aggregated inside ClickHouse in one pass without a comparison
 * per bucket: one `arrayMap` gives every value an integer key, and one `ARRAY JOIN … GROUP BY` counts
 * the keys (UInt16 keys, a direct-addressed table, whenever they fit). The key is the value's equal-width
 * cell (`cells` for numeric features, a few cells around the categories for categorical ones) plus, from
 * a lookup by cell, how many of that cell's PSI edges the value reaches (numeric: PSI bins are exact), or
 * which of its categories the value equals (categorical; none = unseen). Each numeric group also returns
 * its least and greatest value. `specs[i]` describes feature i (vector order); rows whose vector is
 * shorter than `specs` are left out. `read`: FINAL or not, all rows or a hashed subsample ({@link WindowRead}).
 */
export async function driftWindowHistograms(client: ClickHouseClient, window: DriftWindow, specs: readonly HistogramSpec[], read: WindowRead = {}): Promise<FeatureHistogram[]> {
  if (specs.length === 0) throw new HushError('HUSH_ERR_INTERNAL', 'driftWindowHistograms needs at least one feature');
  const { layouts: all, size } = layouts(specs);
  if (size > 2 ** 32) throw new HushError('HUSH_ERR_INTERNAL', 'driftWindowHistograms: too many buckets for UInt32 keys');
  const keyType = size <= 2 ** 16 ? 'UInt16' : 'UInt32';
  const crowd = Math.max(...all.map((l) => l.stride)) - 1;

  const cell = 'toUInt32(least(nc + 1, greatest(floor((v - lo) * sc) + 1, 0)))';
  const cellKey = `toUInt32(kb + ${cell} * st)`;
  // The j-th mark (PSI edge or category) inside each cell that has one, looked up by the cell's key.
  const mark = (j: number, missing: string): string => {
    const entries = all.flatMap((l) => [...l.marks].filter(([, m]) => m.length > j).map(([c, m]) => [l.base + c * l.stride, m[j] as number] as const));
    return entries.length === 0 ? missing : `transform(${cellKey}, ${uints(entries.map(([key]) => key), 'UInt32')}, ${float64s(entries.map(([, m]) => m))}, ${missing})`;
  };
  const reached = Array.from({ length: crowd }, (_, j) => `(v >= ${mark(j, 'toFloat64(inf)')})`);
  const equals = Array.from({ length: crowd }, (_, j) => `(v = ${mark(j, 'toFloat64(nan)')}) * ${sqlNumber(j + 1)}`);
  const bits = crowd === 0 ? '' : ` + if(cat, ${equals.join(' + ')}, ${reached.join(' + ')})`;
  const param = (pick: (l: Layout) => number): string => float64s(all.map(pick));
  const keys = `arrayMap((v, lo, sc, nc, kb, st, cat) -> to${keyType}(${cellKey}${bits}), xs,
        ${param((l) => l.grid.from)}, ${param((l) => cellScale(l.grid))}, ${param((l) => l.grid.count)},
        ${uints(all.map((l) => l.base), 'UInt32')}, ${uints(all.map((l) => l.stride), 'UInt32')}, ${uints(all.map((l) => ('categories' in l.spec ? 1 : 0)), 'UInt8')})`;
  const result = await client.query({
    query: `SELECT k, count() AS c, min(x) AS xmin, max(x) AS xmax
      FROM (SELECT arraySlice(values, 1, ${sqlNumber(specs.length)}) AS xs, ${keys} AS keys
        FROM (${windowFeaturesSql(window, 'values', read)}) WHERE length(values) >= ${sqlNumber(specs.length)})
      ARRAY JOIN keys AS k, xs AS x
      GROUP BY k ORDER BY k`,
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ k: number | string; c: number | string; xmin: number | string; xmax: number | string }>();

  const out: FeatureHistogram[] = all.map(({ spec }) => ({
    n: 0,
    counts: new Array<number>('categories' in spec ? spec.categories.length + 1 : spec.edges.length + 1).fill(0),
    cells: 'edges' in spec ? [] : null,
  }));
  let f = 0;
  for (const row of rows) {
    const key = Number(row.k);
    while (f + 1 < all.length && key >= (all[f + 1] as Layout).base) f += 1;
    const layout = all[f] as Layout;
    const histogram = out[f] as FeatureHistogram;
    const count = Number(row.c);
    const cellIndex = Math.floor((key - layout.base) / layout.stride);
    const bit = (key - layout.base) % layout.stride;
    histogram.n += count;
    if (histogram.cells === null) {
      const bucket = bit === 0 ? 0 : (layout.bucketOf.get(layout.marks.get(cellIndex)?.[bit - 1] as number) as number);
      histogram.counts[bucket] = (histogram.counts[bucket] as number) + count;
      continue;
    }
    const psiBin = (layout.edgesBefore[cellIndex] as number) + bit;
    histogram.counts[psiBin] = (histogram.counts[psiBin] as number) + count;
    // Values are Float32 in the table; fround undoes the shortest-decimal text they travel as.
    histogram.cells.push({ psiBin, count, min: Math.fround(Number(row.xmin)), max: Math.fround(Number(row.xmax)) });
  }
  return out;
}
