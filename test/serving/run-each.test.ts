import { describe, expect, it } from 'vitest';
import { runEach } from '../../serving/run-each.ts';

describe('runEach', () => {
  it('runs every step in order, even after failures, and throws the first failure', async () => {
    const ran: string[] = [];
    const steps = [
      () => ran.push('a'),
      () => {
        ran.push('b');
        throw new Error('first');
      },
      async () => {
        ran.push('c');
        throw new Error('second');
      },
      async () => ran.push('d'),
    ];
    await expect(runEach(steps)).rejects.toThrow(/^first$/);
    expect(ran).toEqual(['a', 'b', 'c', 'd']);
  });

  it('resolves when every step does', async () => {
    const ran: number[] = [];
    await runEach([() => ran.push(1), async () => ran.push(2)]);
    expect(ran).toEqual([1, 2]);
  });
});
