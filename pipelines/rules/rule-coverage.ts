import type { Frame } from '../../features/frame.ts';
import { rocAuc } from '../../training/index.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import { describeBadRows } from '../io/load-leads.ts';
import { scoreWithRules } from './score-with-rules.ts';

export interface RuleCoverage {
  frame: Frame;
  leads: number;
  /** Leads each breakdown line appears for, by rule id (rules that never fire show 0). */
  firing: Record<string, number>;
  tierCounts: Record<string, number>;
  /** When the data carries labels: ROC AUC of the total and the conversion rate of each tier. */
  labelled?: { auc: number; tierConversion: Record<string, number | null> };
  /** Event types present in the events file (undefined without events). */
  eventTypes?: Set<string>;
  warnings: string[];
}

/** Scores a dataset with a rules file and counts how often each rule fires: a dry run before going live. */
export async function ruleCoverage(
  loaded: LoadedConfig,
  rulesFile: string,
  options: { data?: string; asOf?: number } = {},
): Promise<RuleCoverage> {
  const scoring = await scoreWithRules(loaded, {
    rules: rulesFile,
    data: options.data,
    asOf: options.asOf,
    skipBadRows: true,
    breakdown: true,
    allowUnknownRuleColumns: true,
  });
  const { frame, engine, scores } = scoring;
  const firing: Record<string, number> = {};
  for (const id of engine.ruleIds) firing[id] = 0;
  for (const fired of scores.fired ?? []) {
    for (const line of new Set(fired.map((f) => (f.kind === 'manual' ? 'manual' : f.rule))))
      firing[line] = (firing[line] ?? 0) + 1;
  }
  const tierCounts = Object.fromEntries(
    engine.tierNames.map((name, t) => [name, scores.tier.filter((x) => x === t).length]),
  );
  const warnings = scoring.skipped.length ? [`${frame.source}: ${describeBadRows(scoring.skipped)} (skipped)`] : [];
  let labelled: RuleCoverage['labelled'];
  const label = frame.label;
  if (label && label.some((y) => y === 1) && label.some((y) => y === 0)) {
    const tierConversion = Object.fromEntries(
      engine.tierNames.map((name, t) => {
        let n = 0;
        let won = 0;
        scores.tier.forEach((x, i) => {
          if (x === t) {
            n++;
            won += label[i]!;
          }
        });
        return [name, n ? won / n : null];
      }),
    );
    labelled = { auc: rocAuc(label, scores.total), tierConversion };
  }
  return { frame, leads: frame.rowCount, firing, tierCounts, labelled, eventTypes: scoring.eventTypes, warnings };
}
