import { describe, expect, it } from 'vitest';
import { MicroBatcher } from '../../serving/micro-batcher.ts';

describe('MicroBatcher', () => {
  it('combines concurrent requests into one call and gives each its own outputs', async () => {
    const calls: number[][] = [];
    const b = new MicroBatcher<number, number>(
      async (xs) => {
        calls.push(xs);
        return xs.map((x) => x * 10);
      },
      { maxWaitMs: 5 },
    );
    const [a, c, d] = await Promise.all([b.run([1, 2]), b.run([3]), b.run([4, 5, 6])]);
    expect(a).toEqual([10, 20]);
    expect(c).toEqual([30]);
    expect(d).toEqual([40, 50, 60]);
    expect(calls).toEqual([[1, 2, 3, 4, 5, 6]]);
  });

  it('flushes at once when maxItems are waiting', async () => {
    const calls: number[][] = [];
    const b = new MicroBatcher<number, number>(async (xs) => (calls.push(xs), xs), { maxItems: 3, maxWaitMs: 60_000 });
    expect(await Promise.all([b.run([1, 2]), b.run([3])])).toEqual([[1, 2], [3]]);
    expect(calls).toEqual([[1, 2, 3]]);
  });

  it('fails only the request that breaks a combined call', async () => {
    const b = new MicroBatcher<number, number>(
      async (xs) => {
        if (xs.includes(13)) throw new Error('13 is bad');
        return xs;
      },
      { maxWaitMs: 5 },
    );
    const results = await Promise.allSettled([b.run([1]), b.run([13]), b.run([2, 3])]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('13 is bad');
    expect((results[2] as PromiseFulfilledResult<number[]>).value).toEqual([2, 3]);
  });

  it('rejects a process function that returns the wrong number of outputs', async () => {
    const b = new MicroBatcher<number, number>(async () => [1], { maxWaitMs: 1 });
    await expect(b.run([1, 2])).rejects.toThrow(/1 outputs for 2 items/);
  });

  it('drain waits for calls in flight', async () => {
    let done = false;
    const b = new MicroBatcher<number, number>(
      async (xs) => {
        await new Promise((r) => setTimeout(r, 20));
        done = true;
        return xs;
      },
      { maxWaitMs: 1000 },
    );
    const p = b.run([1]);
    await b.drain();
    expect(done).toBe(true);
    expect(await p).toEqual([1]);
  });
});
