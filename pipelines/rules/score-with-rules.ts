import path from 'node:path';
import { caseSensitiveColumns } from '../../features/category-key.ts';
import { InputError } from '../../features/errors.ts';
import type { Frame } from '../../features/frame.ts';
import { checkRuleNames } from '../../models/rules/check-rule-names.ts';
import { compileRules } from '../../models/rules/compile-rules.ts';
import type { FiredRule, FrameScores, RuleEngine } from '../../models/rules/rule-engine.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import type { Phases } from '../io/phases.ts';
import { loadLeads, type BadRow } from '../io/load-leads.ts';
import { cutoffTimes } from '../features/point-in-time.ts';
import { ruleTallyFor } from './batch-rule-tally.ts';
import { eventTypesIn } from './known-names.ts';
import { loadRulesFile } from './load-rules-file.ts';
import { readAdjustments } from './read-adjustments.ts';

export interface ScoreWithRulesOptions {
  /** Score this leads file instead of the config's (same schema). */
  data?: string;
  /** Rules file; default the config's `rules:`. */
  rules?: string;
  /** Manual adjustments file (lead_id, points, reason). Default none. */
  adjustments?: string;
  /** Scoring time, epoch ms. Default: the config's `asOf` (fixed, or a column per lead), else now. */
  asOf?: number;
  /** Skip malformed lead rows instead of failing. Default false. */
  skipBadRows?: boolean;
  /** Keep each lead's breakdown. Default true. */
  breakdown?: boolean;
  /** The clock, for the default scoring time. Default Date.now. */
  now?: () => number;
  /** Score even when the rules name columns or event types the data lacks. Default false: refused. */
  allowUnknownRuleColumns?: boolean;
  /** Told the phases: reading, events, scoring. */
  phases?: Phases;
}

export interface RuleScoring {
  frame: Frame;
  engine: RuleEngine;
  scores: FrameScores;
  skipped: BadRow[];
  /** Event types found in the events file; undefined when the rules count no events. */
  eventTypes?: Set<string>;
}

/** Scores a dataset config's leads with its rules file: leads, events and manual adjustments in, scores out. */
export async function scoreWithRules(loaded: LoadedConfig, options: ScoreWithRulesOptions = {}): Promise<RuleScoring> {
  const { config } = loaded;
  const rulesPath = options.rules ? path.resolve(options.rules) : config.rules;
  if (!rulesPath)
    throw new InputError(
      `${path.basename(loaded.file)}: rules: no rules file (add rules: <file> to the config or pass --rules)`,
    );
  const engine = compileRules(await loadRulesFile(rulesPath), {
    caseSensitiveColumns: caseSensitiveColumns(config.columns),
  });
  options.phases?.phase('reading');
  const { frame, skipped } = await loadLeads(loaded, {
    data: options.data,
    skipBadRows: options.skipBadRows,
    requireLabel: false,
  });
  options.phases?.phase('events');
  const asOf = resolveAsOf(loaded, frame, options);
  // Only the scored leads' events are counted, in DuckDB; the file's event types come from a DISTINCT query.
  const events = config.events && engine.eventTypes.length > 0 ? config.events : undefined;
  const eventTypes = events ? await eventTypesIn(events) : undefined;
  if (!options.allowUnknownRuleColumns) {
    checkRuleNames(engine, { source: frame.source, columns: frame.columns.map((c) => c.name), eventTypes }, rulesPath);
  }
  const manual = options.adjustments ? await readAdjustments(options.adjustments) : undefined;
  const tally = await ruleTallyFor(events, engine, frame.ids, asOf);
  options.phases?.phase('scoring');
  const scores = engine.scoreFrame(frame, tally, asOf, { manual, breakdown: options.breakdown ?? true });
  return { frame, engine, scores, skipped, eventTypes };
}

function resolveAsOf(loaded: LoadedConfig, frame: Frame, options: ScoreWithRulesOptions): number | Float64Array {
  if (options.asOf !== undefined) return options.asOf;
  const asOf = loaded.config.asOf;
  if (asOf && 'fixed' in asOf) return Date.parse(/T/.test(asOf.fixed) ? asOf.fixed : `${asOf.fixed}T00:00:00Z`);
  // A lead without a time has no past: NaN counts no event and decays nothing.
  if (asOf && 'column' in asOf) return cutoffTimes(frame, asOf, path.basename(loaded.file));
  return (options.now ?? Date.now)();
}

/** Output columns of a rule scoring. */
export const RULE_SCORE_COLUMNS = ['lead_id', 'fit', 'engagement', 'total', 'tier', 'fired'];

/** One output row per lead: id, fit, engagement, total, tier and the fired rules as text. */
export function ruleScoreRows(scoring: RuleScoring): (string | number)[][] {
  const { frame, engine, scores } = scoring;
  return frame.ids.map((id, i) => [
    id,
    round(scores.fit[i]!),
    round(scores.engagement[i]!),
    round(scores.total[i]!),
    engine.tierNames[scores.tier[i]!]!,
    scores.fired ? firedText(scores.fired[i]!) : '',
  ]);
}

/** `job-manager +40; size-big +30; cap:fit -20`: the breakdown in rule order. */
export function firedText(fired: readonly FiredRule[]): string {
  return fired.map((f) => `${f.rule} ${f.points >= 0 ? '+' : ''}${round(f.points, 2)}`).join('; ');
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
