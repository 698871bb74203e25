import type { Prng } from './prng.js';

/** Picks items with probability proportional to fixed weights in O(log n) (cumulative table + binary search). */
export class WeightedPicker<T> {
  private readonly items: T[] = [];
  private readonly cumulative: number[] = [];
  readonly total: number;

  constructor(items: readonly T[], weight: (item: T) => number) {
    let sum = 0;
    for (const item of items) {
      const w = weight(item);
      if (!(w > 0)) continue;
      sum += w;
      this.items.push(item);
      this.cumulative.push(sum);
    }
    this.total = sum;
  }

  get empty(): boolean {
    return this.items.length === 0;
  }

  pick(prng: Prng): T {
    if (this.items.length === 0) throw new RangeError('WeightedPicker has no item with a positive weight');
    const r = prng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cumulative[mid] as number) > r) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}
