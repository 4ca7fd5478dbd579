import { describe, expect, it } from 'vitest';
import { BatchWhileBusy } from '../src/server/batch-while-busy.ts';

/** A run that records its batches and finishes only when told to. */
function recorder() {
  const batches: number[][] = [];
  const finish: Array<() => void> = [];
  const run = (inputs: number[]) => {
    batches.push(inputs);
    return new Promise<Array<number | Promise<number>>>((resolve) => {
      finish.push(() =>
        resolve(inputs.map((n) => (n < 0 ? Promise.reject(new Error(`negative ${n}`)) : n * 10))),
      );
    });
  };
  return { batches, finish, run };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('BatchWhileBusy', () => {
  it('runs a call at once when idle and gathers the calls that arrive meanwhile into the next run', async () => {
    const { batches, finish, run } = recorder();
    const batcher = new BatchWhileBusy(run, { maxBatch: 10, maxRunning: 1 });
    const first = batcher.call(1);
    await tick();
    expect(batches).toEqual([[1]]);
    const later = [batcher.call(2), batcher.call(3), batcher.call(4)];
    await tick();
    expect(batches).toEqual([[1]]);
    finish.shift()?.();
    expect(await first).toBe(10);
    await tick();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    finish.shift()?.();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });

  it('keeps batches to maxBatch and runs up to maxRunning at once', async () => {
    const { batches, finish, run } = recorder();
    const batcher = new BatchWhileBusy(run, { maxBatch: 2, maxRunning: 2 });
    const calls = [1, 2, 3, 4, 5, 6].map((n) => batcher.call(n));
    await tick();
    expect(batches).toEqual([[1], [2]]);
    finish.shift()?.();
    await tick();
    expect(batches).toEqual([[1], [2], [3, 4]]);
    while (finish.length > 0) {
      finish.shift()?.();
      await tick();
    }
    expect(await Promise.all(calls)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(batches).toEqual([[1], [2], [3, 4], [5, 6]]);
  });

  it('fails only the caller whose answer is a rejection, and every caller when the run throws', async () => {
    const { finish, run } = recorder();
    const batcher = new BatchWhileBusy(run, { maxBatch: 10, maxRunning: 1 });
    const first = batcher.call(1);
    const [bad, good] = [batcher.call(-2), batcher.call(3)];
    finish.shift()?.();
    await first;
    await tick();
    finish.shift()?.();
    await expect(bad).rejects.toThrow('negative -2');
    expect(await good).toBe(30);

    const broken = new BatchWhileBusy<number, number>(
      async () => {
        throw new Error('the database is gone');
      },
      { maxBatch: 10, maxRunning: 1 },
    );
    const all = [broken.call(1), broken.call(2)];
    for (const call of all) await expect(call).rejects.toThrow('the database is gone');
    // And it is not stuck afterwards.
    await expect(broken.call(3)).rejects.toThrow('the database is gone');
  });
});
