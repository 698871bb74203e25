import { describe, expect, it } from 'vitest';
import { Coalescer } from '../../shared/batching/coalescer.js';
import { HushError } from '../../shared/errors/index.js';

/** A batch function that records every call it receives and doubles its inputs. */
function recordingDoubler(options: { failWhen?: (items: readonly number[]) => boolean } = {}) {
  const calls: number[][] = [];
  const run = async (items: readonly number[]): Promise<number[]> => {
    calls.push([...items]);
    if (options.failWhen?.(items)) throw new Error(`refused ${items.join(',')}`);
    return items.map((n) => n * 2);
  };
  return { calls, run };
}

describe('Coalescer', () => {
  it('merges the calls of one event-loop turn into one batch and hands each caller its own results', async () => {
    const { calls, run } = recordingDoubler();
    const coalescer = new Coalescer(run);
    const results = await Promise.all([coalescer.submit([1, 2]), coalescer.submit([3]), coalescer.submit([4, 5, 6])]);
    expect(results).toEqual([[2, 4], [6], [8, 10, 12]]);
    expect(calls).toEqual([[1, 2, 3, 4, 5, 6]]);
  });

  it('runs calls of later turns in later batches', async () => {
    const { calls, run } = recordingDoubler();
    const coalescer = new Coalescer(run);
    expect(await coalescer.submit([1])).toEqual([2]);
    expect(await coalescer.submit([2])).toEqual([4]);
    expect(calls).toEqual([[1], [2]]);
  });

  it('splits a backlog larger than maxBatchSize without splitting a caller', async () => {
    const { calls, run } = recordingDoubler();
    const coalescer = new Coalescer(run, { maxBatchSize: 3 });
    const results = await Promise.all([coalescer.submit([1, 2]), coalescer.submit([3, 4]), coalescer.submit([5]), coalescer.submit([6, 7, 8, 9])]);
    expect(results).toEqual([[2, 4], [6, 8], [10], [12, 14, 16, 18]]);
    expect(calls).toEqual([[1, 2], [3, 4, 5], [6, 7, 8, 9]]);
  });

  it('reruns each caller alone when a merged batch fails, so only the bad caller fails', async () => {
    const { calls, run } = recordingDoubler({ failWhen: (items) => items.includes(13) });
    const coalescer = new Coalescer(run);
    const settled = await Promise.allSettled([coalescer.submit([1]), coalescer.submit([13, 2]), coalescer.submit([3])]);
    expect(settled[0]).toEqual({ status: 'fulfilled', value: [2] });
    expect(settled[1]).toMatchObject({ status: 'rejected', reason: { message: 'refused 13,2' } });
    expect(settled[2]).toEqual({ status: 'fulfilled', value: [6] });
    expect(calls).toEqual([[1, 13, 2, 3], [1], [13, 2], [3]]);
  });

  it('rejects when the batch function returns the wrong number of results', async () => {
    const coalescer = new Coalescer(async (items: readonly number[]) => items.slice(1));
    await expect(coalescer.submit([1, 2])).rejects.toMatchObject({ code: 'HUSH_ERR_INTERNAL' });
  });

  it('resolves an empty submission at once without calling the batch function', async () => {
    const { calls, run } = recordingDoubler();
    expect(await new Coalescer(run).submit([])).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('refuses a maxBatchSize that is not a positive integer', () => {
    expect(() => new Coalescer(async (items: readonly number[]) => items, { maxBatchSize: 0 })).toThrow(HushError);
    expect(() => new Coalescer(async (items: readonly number[]) => items, { maxBatchSize: 1.5 })).toThrow(/maxBatchSize/);
  });
});
