import { describe, expect, it } from 'vitest';
import { loadDatasetConfig } from '../../../pipelines/config/load-config.ts';
import {
  firedText,
  ruleScoreRows,
  scoreWithRules,
  type ScoreWithRulesOptions,
} from '../../../pipelines/rules/score-with-rules.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const tmp = tempDir();
const leads = tmp.write('leads.csv', 'lead_id,signup_at,plan\na,2026-01-10,pro\nb,2026-03-01,free\n');
const events = tmp.write(
  'events.csv',
  'lead_id,event_type,ts\na,webinar,2026-01-12\nb,webinar,2026-01-12\nb,webinar,2026-03-05\n',
);
const rules = tmp.write(
  'r.yaml',
  `name: r
tiers: [{ name: hot, atLeast: 20 }, { name: cold }]
rules:
  - { id: pro, column: plan, equals: pro, points: 5 }
  - { id: webinar, event: webinar, points: 10 }
  - { id: new-signup, column: signup_at, daysAgo: { below: 10 }, points: 3 }
`,
);

async function score(asOf: string, options: ScoreWithRulesOptions = {}, eventsFile = events) {
  const file = tmp.write(
    `cfg-${Math.random().toString(36).slice(2)}.yaml`,
    `name: t\nleads: { path: ${leads} }\nidColumn: lead_id\nlabel: { column: y, positive: [yes] }\ncolumns: { signup_at: timestamp }\nevents: { path: ${eventsFile}, types: [webinar] }\nrules: ${rules}\n${asOf}\n`,
  );
  return scoreWithRules(await loadDatasetConfig(file), options);
}

describe('scoreWithRules', () => {
  it('scores every lead at a fixed asOf from the config', async () => {
    const scoring = await score('asOf: { fixed: 2026-02-01 }');
    expect(ruleScoreRows(scoring)).toEqual([
      ['a', 5, 10, 15, 'cold', 'pro +5; webinar +10'],
      ['b', 0, 10, 10, 'cold', 'webinar +10'],
    ]);
  });

  it('scores each lead at its own time when asOf names a column', async () => {
    // a at Jan 17: one webinar, signed up 7 days before. b at Mar 8: two webinars, signed up 7 days before.
    const scoring = await score('asOf: { column: signup_at, offsetDays: 7 }');
    expect(ruleScoreRows(scoring)).toEqual([
      ['a', 8, 10, 18, 'cold', 'pro +5; new-signup +3; webinar +10'],
      ['b', 3, 20, 23, 'hot', 'new-signup +3; webinar +20'],
    ]);
    expect(scoring.eventTypes).toEqual(new Set(['webinar']));
  });

  it("counts the scored leads' events before each one's time, and takes the event types from the whole file", async () => {
    const some = tmp.write('some.csv', 'lead_id,signup_at,plan\nc,,pro\na,2026-01-10,free\n');
    const more = tmp.write(
      'more-events.csv',
      'lead_id,event_type,ts\na,webinar,2026-01-12\na,webinar,2026-01-20\nc,webinar,2026-01-01\nb,demo,2026-01-12\n',
    );
    const scoring = await score('asOf: { column: signup_at, offsetDays: 7 }', { data: some }, more);
    // c has no signup time, so no past: its webinar does not count. a's second webinar is after its Jan 17.
    expect(ruleScoreRows(scoring)).toEqual([
      ['c', 5, 0, 5, 'cold', 'pro +5'],
      ['a', 3, 10, 13, 'cold', 'new-signup +3; webinar +10'],
    ]);
    // demo events belong to a lead not scored, but are in the file.
    expect(scoring.eventTypes).toEqual(new Set(['webinar', 'demo']));
  });

  it('writes fired rules with signs and two decimals at most', () => {
    expect(
      firedText([
        { rule: 'a', points: 10, kind: 'fit' },
        { rule: 'decay', points: -3.14159, kind: 'decay' },
        { rule: 'cap:total', points: 0.5, kind: 'cap' },
      ]),
    ).toBe('a +10; decay -3.14; cap:total +0.5');
  });
});
