import { describe, expect, it } from 'vitest';
import { readAdjustments } from '../../../pipelines/rules/read-adjustments.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const tmp = tempDir();

describe('readAdjustments', () => {
  it('reads the optional time of each adjustment', async () => {
    const adj = await readAdjustments(
      tmp.write('at.csv', 'lead_id,points,reason,at\na,10,call,2026-01-05\na,3,chat,\n'),
    );
    expect(adj.get('a')).toEqual([
      { points: 10, reason: 'call', at: Date.UTC(2026, 0, 5) },
      { points: 3, reason: 'chat' },
    ]);
  });

  it('reads several rows per lead', async () => {
    const file = tmp.write('adj.csv', 'lead_id,points,reason\na,10,call\nb,-5,no budget\na,2.5,meeting\n');
    const adj = await readAdjustments(file);
    expect(adj.get('a')).toEqual([
      { points: 10, reason: 'call' },
      { points: 2.5, reason: 'meeting' },
    ]);
    expect(adj.get('b')).toEqual([{ points: -5, reason: 'no budget' }]);
  });

  it('names the row and column of bad input', async () => {
    await expect(readAdjustments(tmp.write('a1.csv', 'lead_id,points\na,1\n'))).rejects.toThrow(
      /a1\.csv: column "reason" not found/,
    );
    await expect(readAdjustments(tmp.write('a2.csv', 'lead_id,points,reason\na,1,x\nb,,y\n'))).rejects.toThrow(
      /a2\.csv: row 2: points: expected a number/,
    );
    await expect(readAdjustments(tmp.write('a3.csv', 'lead_id,points,reason\na,1,\n'))).rejects.toThrow(
      /a3\.csv: row 1: reason is empty/,
    );
    await expect(readAdjustments(tmp.write('a4.csv', 'lead_id,points,reason,at\na,1,x,soon\n'))).rejects.toThrow(
      /a4\.csv: row 1: at: expected an ISO date/,
    );
  });
});
