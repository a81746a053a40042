import { describe, expect, it } from 'vitest';
import { readAhead } from '../../../pipelines/io/read-ahead.ts';

/** A source that logs when each item is started and finished being read, and when it is closed. */
function source(n: number, log: string[], failAt?: number): AsyncGenerator<number> {
  return (async function* () {
    try {
      for (let i = 0; i < n; i++) {
        log.push(`read ${i}`);
        await new Promise((r) => setTimeout(r, 5));
        if (i === failAt) throw new Error(`cannot read ${i}`);
        log.push(`ready ${i}`);
        yield i;
      }
    } finally {
      log.push('closed');
    }
  })();
}

describe('readAhead', () => {
  it('yields every item in order, reading the next one while the caller works on this one', async () => {
    const log: string[] = [];
    const got: number[] = [];
    for await (const i of readAhead(source(3, log))) {
      log.push(`use ${i}`);
      await new Promise((r) => setTimeout(r, 20));
      log.push(`done ${i}`);
      got.push(i);
    }
    expect(got).toEqual([0, 1, 2]);
    // Item 1 is read while the caller works on item 0, not after it.
    expect(log.indexOf('ready 1')).toBeLessThan(log.indexOf('done 0'));
    expect(log.indexOf('ready 2')).toBeLessThan(log.indexOf('done 1'));
    expect(log).toContain('closed');
  });

  it('passes on the error of an item read ahead', async () => {
    const log: string[] = [];
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const i of readAhead(source(5, log, 2))) got.push(i);
      })(),
    ).rejects.toThrow('cannot read 2');
    expect(got).toEqual([0, 1]);
  });

  it('waits for the item being read and closes the source when the caller stops early', async () => {
    const log: string[] = [];
    for await (const i of readAhead(source(5, log))) {
      if (i === 1) break;
    }
    // Item 2 was being read when the caller stopped: it finished before the source closed.
    expect(log.slice(-2)).toEqual(['ready 2', 'closed']);
    expect(log).not.toContain('read 3');
  });
});
