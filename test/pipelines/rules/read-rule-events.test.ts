import { describe, expect, it } from 'vitest';
import { EventsConfig } from '../../../features/feature-config.ts';
import { readRuleEvents } from '../../../pipelines/rules/read-rule-events.ts';
import { readAdjustments } from '../../../pipelines/rules/read-adjustments.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const tmp = tempDir();
const config = (path: string, extra: Record<string, unknown> = {}) =>
  EventsConfig.parse({ path, types: ['page_view'], ...extra });

describe('readRuleEvents', () => {
  it('groups events by lead in time order with the filtered properties', async () => {
    const file = tmp.write(
      'events.csv',
      'lead_id,event_type,ts,page,seconds\nb,page_view,2026-01-02T00:00:00Z,docs,5\na,email_open,2026-01-03,,\na,page_view,2026-01-01T12:00:00+02:00,pricing,30\n',
    );
    const events = await readRuleEvents(config(file, { numericProperties: ['seconds'] }), ['page', 'absent']);
    expect([...events.keys()].sort()).toEqual(['a', 'b']);
    expect(events.get('a')).toEqual([
      { leadId: 'a', type: 'page_view', at: Date.UTC(2026, 0, 1, 10), properties: { seconds: 30, page: 'pricing' } },
      { leadId: 'a', type: 'email_open', at: Date.UTC(2026, 0, 3) },
    ]);
    expect(events.get('b')![0]!.properties).toEqual({ seconds: 5, page: 'docs' });
  });

  it('reads epoch milliseconds from JSON Lines', async () => {
    const file = tmp.write('events.jsonl', '{"id":"x","kind":"webinar","when":1767225600000}\n');
    const events = await readRuleEvents(
      config(file, { leadIdColumn: 'id', typeColumn: 'kind', timestampColumn: 'when' }),
    );
    expect(events.get('x')).toEqual([{ leadId: 'x', type: 'webinar', at: 1767225600000 }]);
  });

  it('names a missing column by its config key', async () => {
    const file = tmp.write('nots.csv', 'lead_id,event_type\na,page_view\n');
    await expect(readRuleEvents(config(file))).rejects.toThrow(
      /nots\.csv: column "ts" not found \(events\.timestampColumn\)/,
    );
  });
});

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
