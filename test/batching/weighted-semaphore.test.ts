import { describe, expect, it } from 'vitest';
import { WeightedSemaphore } from '../../shared/batching/weighted-semaphore.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('WeightedSemaphore', () => {
  it('never lets more weight run than its capacity, and runs everything', async () => {
    const semaphore = new WeightedSemaphore(10);
    let running = 0;
    let peak = 0;
    const tasks = [3, 4, 5, 1, 7, 2, 10, 6].map((weight) =>
      semaphore.run(weight, async () => {
        running += weight;
        peak = Math.max(peak, running);
        await turn();
        running -= weight;
        return weight;
      }),
    );
    expect(await Promise.all(tasks)).toEqual([3, 4, 5, 1, 7, 2, 10, 6]);
    expect(peak).toBeLessThanOrEqual(10);
    expect(peak).toBeGreaterThan(5);
    expect(semaphore.inUse).toBe(0);
  });

  it('grants in arrival order: a heavy request waiting is not overtaken by lighter ones', async () => {
    const semaphore = new WeightedSemaphore(10);
    const order: string[] = [];
    const first = deferred();
    const holder = semaphore.run(6, () => first.promise);
    const heavy = semaphore.run(8, async () => void order.push('heavy'));
    const light = semaphore.run(2, async () => void order.push('light'));
    await turn();
    expect(order).toEqual([]); // 4 units are free, but the light one queues behind the heavy one
    first.resolve();
    await Promise.all([holder, heavy, light]);
    expect(order).toEqual(['heavy', 'light']);
  });

  it('lets a request heavier than the capacity run alone, and releases after a failure', async () => {
    const semaphore = new WeightedSemaphore(4);
    await expect(semaphore.run(100, async () => {
      expect(semaphore.inUse).toBe(4);
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(semaphore.inUse).toBe(0);
    expect(() => new WeightedSemaphore(0)).toThrow(/capacity/);
  });
});
