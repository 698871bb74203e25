/** The JSON state of a `ContextNovelty`. */
export interface ContextNoveltySnapshot {
  rows: number;
  /** The last `min(rows, historyRows)` values, oldest first. */
  values: number[];
  /** For each of those rows, the context key counted for it, `null` where none is. */
  keys: (number | null)[];
  origin: number;
  width: number;
  nextRequantise: number;
}

const BASE = 4099;

/**
 * How unexpected the current value is after the values just before it: the series is quantised on a
 * grid, and in the last `historyRows` rows we count how often the `depth − 1` bins before now were
 * followed by the current bin or a neighbour of it (a sequence memory in the spirit of HTM and CAD OSE,
 * with counts instead of cells). Returns `1 − (followed + 0.5)/(seen + 1)`, `followed` counting the
 * current bin fully and each neighbour half: near 1 for a continuation never seen, near 0 for a routine one. The grid spans the 1st–99th percentile of
 * the stored history in `bins` steps and is redrawn (counts rebuilt) at rows 64, 128, 256, … and then
 * every `historyRows/2` rows: O(historyRows log historyRows) once in a while, O(1) otherwise.
 */
export class ContextNovelty {
  private rows: number;
  private readonly ring: Float64Array;
  /** Per stored row, the key (context prefix · BASE + bin) counted for it, or NaN. */
  private readonly keys: Float64Array;
  private readonly full = new Map<number, number>();
  private readonly prefixes = new Map<number, number>();
  private origin: number;
  private width: number;
  private nextRequantise: number;

  constructor(private readonly historyRows: number, private readonly bins: number, private readonly depth: number, snapshot?: ContextNoveltySnapshot) {
    this.ring = new Float64Array(historyRows);
    this.keys = new Float64Array(historyRows).fill(Number.NaN);
    this.rows = 0;
    this.origin = 0;
    this.width = 0;
    this.nextRequantise = 64;
    if (snapshot) {
      const first = snapshot.rows - snapshot.values.length;
      snapshot.values.forEach((value, i) => {
        const slot = (first + i) % historyRows;
        this.ring[slot] = value;
        this.keys[slot] = snapshot.keys[i] ?? Number.NaN;
        this.count(this.keys[slot] as number, 1);
      });
      this.rows = snapshot.rows;
      this.origin = snapshot.origin;
      this.width = snapshot.width;
      this.nextRequantise = snapshot.nextRequantise;
    }
  }

  update(value: number): number {
    this.ring[this.rows % this.historyRows] = value;
    this.rows++;
    if (this.rows >= this.nextRequantise) {
      this.requantise();
      this.nextRequantise = this.nextRequantise < this.historyRows ? this.nextRequantise * 2 : this.nextRequantise + (this.historyRows >> 1);
    }
    const slot = (this.rows - 1) % this.historyRows;
    // The slot's old key leaves the window as the new one enters.
    this.count(this.keys[slot] as number, -1);
    this.keys[slot] = Number.NaN;
    if (this.width === 0 || this.rows < this.depth) return 0;
    const key = this.keyAt(this.rows - 1);
    const seen = this.prefixes.get(Math.floor(key / BASE)) ?? 0;
    const followed = (this.full.get(key) ?? 0) + 0.5 * ((this.full.get(key - 1) ?? 0) + (this.full.get(key + 1) ?? 0));
    this.keys[slot] = key;
    this.count(key, 1);
    return 1 - (followed + 0.5) / (seen + 1);
  }

  snapshot(): ContextNoveltySnapshot {
    const kept = Math.min(this.rows, this.historyRows);
    const values: number[] = [];
    const keys: (number | null)[] = [];
    for (let row = this.rows - kept; row < this.rows; row++) {
      values.push(this.ring[row % this.historyRows] as number);
      const key = this.keys[row % this.historyRows] as number;
      keys.push(Number.isNaN(key) ? null : key);
    }
    return { rows: this.rows, values, keys, origin: this.origin, width: this.width, nextRequantise: this.nextRequantise };
  }

  private bin(row: number): number {
    return Math.floor(((this.ring[row % this.historyRows] as number) - this.origin) / this.width);
  }

  /** The context ending at `row` as one number, oldest bin first, so `floor(key / BASE)` is its prefix. */
  private keyAt(row: number): number {
    let key = 0;
    for (let lag = this.depth - 1; lag >= 0; lag--) key = key * BASE + this.bin(row - lag);
    return key;
  }

  private count(key: number, by: 1 | -1): void {
    if (Number.isNaN(key)) return;
    bump(this.full, key, by);
    bump(this.prefixes, Math.floor(key / BASE), by);
  }

  private requantise(): void {
    const kept = Math.min(this.rows, this.historyRows);
    const sorted = new Float64Array(kept);
    for (let i = 0; i < kept; i++) sorted[i] = this.ring[(this.rows - kept + i) % this.historyRows] as number;
    sorted.sort();
    const low = sorted[Math.floor(0.01 * (kept - 1))] as number;
    const high = sorted[Math.ceil(0.99 * (kept - 1))] as number;
    const spread = high - low;
    this.width = spread > 0 ? spread / this.bins : 1e-9 * (1 + Math.abs(low));
    this.origin = low;
    this.full.clear();
    this.prefixes.clear();
    this.keys.fill(Number.NaN);
    // Recount the contexts ending in the stored rows whose whole context is stored, under the new grid.
    for (let row = this.rows - kept + this.depth - 1; row < this.rows; row++) {
      const key = this.keyAt(row);
      this.keys[row % this.historyRows] = key;
      this.count(key, 1);
    }
  }
}

function bump(counts: Map<number, number>, key: number, by: 1 | -1): void {
  const count = (counts.get(key) ?? 0) + by;
  if (count > 0) counts.set(key, count);
  else counts.delete(key);
}
