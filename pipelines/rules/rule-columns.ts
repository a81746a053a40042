import type { Frame } from '../../features/frame.ts';
import { compileRules } from '../../models/rules/compile-rules.ts';
import type { EventsByLead } from '../../models/rules/rule-engine.ts';
import { isEventRule, type RulesFile } from '../../models/rules/rules-file.ts';

/** Where and when a rules file scores: the leads, their events and the scoring time. */
export interface RuleInput {
  frame: Frame;
  eventsByLead?: EventsByLead;
  asOf: number | ArrayLike<number>;
}

/**
 * Each rule's column on every row, read off the engine's breakdowns: 1 when an attribute
 * rule fires, the capped number of matching events for an event rule (its points over
 * its points per event), 0 otherwise. Decay is left out: it scales events, not rules.
 */
export function ruleColumns(rules: RulesFile, input: RuleInput): Float64Array[] {
  const engine = compileRules(rules);
  const n = input.frame.rowCount;
  const scores = engine.scoreFrame(input.frame, input.eventsByLead, input.asOf, { breakdown: true });
  const position = new Map(rules.rules.map((r, j) => [r.id, j]));
  const columns = rules.rules.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (const line of scores.fired![i]!) {
      if (line.kind !== 'fit' && line.kind !== 'engagement') continue;
      const j = position.get(line.rule);
      if (j === undefined) continue;
      const rule = rules.rules[j]!;
      columns[j]![i] = isEventRule(rule) && rule.points !== 0 ? line.points / rule.points : 1;
    }
  }
  return columns;
}

/** Totals of every row under a rules file. */
export function ruleTotals(rules: RulesFile, input: RuleInput): { total: Float64Array; tier: Uint8Array } {
  const s = compileRules(rules).scoreFrame(input.frame, input.eventsByLead, input.asOf);
  return { total: s.total, tier: s.tier };
}
