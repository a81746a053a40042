import type { EventsConfig } from '../../features/feature-config.ts';
import type { Frame } from '../../features/frame.ts';
import { compileRules } from '../../models/rules/compile-rules.ts';
import type { RuleEngine } from '../../models/rules/rule-engine.ts';
import type { RuleEventTally } from '../../models/rules/rule-event-tally.ts';
import { isEventRule, type RulesFile } from '../../models/rules/rules-file.ts';
import { ruleTallyFor } from './batch-rule-tally.ts';

/** Where and when a rules file scores: the leads, their events file and the scoring time. */
export interface RuleInput {
  frame: Frame;
  /** The events file, when the leads have events. */
  events?: EventsConfig;
  asOf: number | ArrayLike<number>;
  /** The rows' events counted per rule set (filled as rules files ask; points do not change them). */
  tallies?: Map<string, RuleEventTally | undefined>;
}

/**
 * The rows' events counted for `rules` (compiled as `engine`), from the events file once per
 * distinct event part: rules files that differ only in points (tuned ones) share a count.
 */
async function eventsFor(rules: RulesFile, engine: RuleEngine, input: RuleInput): Promise<RuleEventTally | undefined> {
  if (!input.events) return undefined;
  const key = JSON.stringify([
    rules.decay ?? null,
    rules.rules.filter(isEventRule).map((r) => [r.event, r.withinDays ?? null, r.where ?? null]),
  ]);
  const tallies = (input.tallies ??= new Map());
  if (!tallies.has(key)) {
    tallies.set(key, await ruleTallyFor(input.events, engine, input.frame.ids, input.asOf));
  }
  return tallies.get(key);
}

/**
 * Each rule's column on every row, read off the engine's breakdowns: 1 when an attribute
 * rule fires, the capped number of matching events for an event rule (its points over
 * its points per event), 0 otherwise. Decay is left out: it scales events, not rules.
 */
export async function ruleColumns(rules: RulesFile, input: RuleInput): Promise<Float64Array[]> {
  const engine = compileRules(rules);
  const n = input.frame.rowCount;
  const scores = engine.scoreFrame(input.frame, await eventsFor(rules, engine, input), input.asOf, { breakdown: true });
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
export async function ruleTotals(
  rules: RulesFile,
  input: RuleInput,
): Promise<{ total: Float64Array; tier: Uint8Array }> {
  const engine = compileRules(rules);
  const s = engine.scoreFrame(input.frame, await eventsFor(rules, engine, input), input.asOf);
  return { total: s.total, tier: s.tier };
}
