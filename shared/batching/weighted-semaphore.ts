import { HushError } from '../errors/index.js';

interface Waiter {
  weight: number;
  grant: () => void;
}

/**
 * Bounds the work in flight by weight (e.g. alerts rather than jobs): `acquire(w)` waits until `w` units
 * are free, in arrival order, so a large request is never starved by a stream of small ones. A request
 * heavier than the capacity takes the whole capacity.
 */
export class WeightedSemaphore {
  private available: number;
  private readonly waiters: Waiter[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new HushError('HUSH_ERR_CONFIG', `WeightedSemaphore capacity must be a positive integer, got ${capacity}`);
    }
    this.available = capacity;
  }

  /** Units in use now. */
  get inUse(): number {
    return this.capacity - this.available;
  }

  /** Runs `task` holding `weight` units (at most the capacity) and releases them when it settles. */
  async run<T>(weight: number, task: () => Promise<T>): Promise<T> {
    const units = Math.min(Math.max(1, Math.ceil(weight)), this.capacity);
    await this.acquire(units);
    try {
      return await task();
    } finally {
      this.release(units);
    }
  }

  private acquire(units: number): Promise<void> {
    if (this.waiters.length === 0 && units <= this.available) {
      this.available -= units;
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiters.push({ weight: units, grant }));
  }

  private release(units: number): void {
    this.available += units;
    while (this.waiters.length > 0) {
      const next = this.waiters[0] as Waiter;
      if (next.weight > this.available) break;
      this.waiters.shift();
      this.available -= next.weight;
      next.grant();
    }
  }
}
