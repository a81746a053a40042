import { describe, expect, it } from 'vitest';
import { formatCompare } from '../../../pipelines/report/format-compare.ts';
import { smallCase, tierCutoffs } from './small-case.ts';

describe('formatCompare', () => {
  const text = formatCompare(smallCase());
  const agreement = text.slice(text.indexOf('Agreement:'));
  const line = (start: string, within = text) => within.split('\n').find((l) => l.startsWith(`│ ${start}`)) ?? '';
  const cells = (l: string) =>
    l
      .split('│')
      .slice(1, -1)
      .map((c) => c.trim());

  it('prints the summary with the better value starred', () => {
    // Ten leads cannot show the model beats chance: that is said first.
    expect(text.split('\n')[0]).toMatch(
      /^No better than chance on these leads: the model's ROC AUC is 0\.810 and its 95 % interval, 0\.\d{3} to 1\.000, includes 0\.5/,
    );
    expect(text.split('\n')[2]).toBe('Model v-test vs rules on 10 leads (3 converted, 30.0 %)');
    expect(cells(line('ROC AUC'))).toEqual(['ROC AUC', '0.810', '0.833 *']);
    expect(cells(line('Lift, top 10 %'))).toEqual(['Lift, top 10 %', '3.33 *', '1.67']);
    expect(cells(line('Brier score'))).toEqual(
      ['Brier score', '0.1852', '–'] /* 0.18525, just below in binary floating point */,
    );
  });

  it('prints the agreement matrix, rule tiers down and model tiers across, with totals', () => {
    expect(cells(line('Rule tier \\ model tier'))).toEqual(['Rule tier \\ model tier', 'hot', 'warm', 'cold', 'All']);
    expect(cells(line('A  ', agreement))).toEqual(['A', '50.0 % of 2', '100.0 % of 1', '– of 0', '66.7 % of 3']);
    expect(cells(line('C  ', agreement))).toEqual(['C', '– of 0', '– of 0', '0.0 % of 4', '0.0 % of 4']);
    expect(cells(line('All', agreement))).toEqual(['All', '66.7 % of 3', '33.3 % of 3', '0.0 % of 4', '30.0 % of 10']);
  });

  it('prints both tier tables', () => {
    expect(cells(line('hot '))).toEqual(['hot', '3', '30.0 %', '2', '66.7 %']);
    expect(cells(line('D  '))).toEqual(['D', '0', '0.0 %', '0', '–']);
  });
});

describe('formatCompare with tier cut-offs', () => {
  it('says where each tier starts and how the tiers were set', () => {
    const text = formatCompare({
      ...smallCase(),
      tierCutoffs: tierCutoffs(),
    });
    expect(text).toContain(
      'Where the tiers start: model hot from 45.5, warm from 17, cold the rest (score 0-100); rules A from 40 points, B from 25 points, C from 10 points, D the rest.',
    );
    expect(text).toContain('The model’s tiers are set by share of leads.');
  });
});
