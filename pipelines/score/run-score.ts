import type { BadRow } from '../io/load-leads.ts';
import { writeTable } from '../io/write-table.ts';
import type { LoadedModel } from '../evaluate/load-model.ts';
import { ruleTallyFor } from '../rules/batch-rule-tally.ts';
import { prepareData } from '../train/prepare-data.ts';

export interface ScoreOptions {
  input: string;
  output: string;
  /** Reasons per lead. Default 3. */
  reasons?: number;
  skipBadRows?: boolean;
  /** Scoring time when the config sets no asOf (epoch ms). Default: now. */
  asOf?: number;
}

/** Output columns of `leadscore score`. */
export const scoreColumns = ['lead_id', 'probability', 'score', 'tier', 'rule_score', 'rule_tier', 'reason_1', 'reason_2', 'reason_3'] as const;

/**
 * Scores a leads file with a model version: probability, 0-100 score, tier, the rules'
 * score and tier, and the top reasons in words; written as CSV, Parquet or JSON Lines.
 */
export async function runScore(m: LoadedModel, options: ScoreOptions): Promise<{ rows: number; skipped: BadRow[]; warnings: string[] }> {
  const data = await prepareData(m.loaded, { data: options.input, skipBadRows: options.skipBadRows, requireLabel: false, asOf: options.asOf });
  const k = options.reasons ?? 3;
  const eventsByLead = await ruleTallyFor(data.eventsConfig, m.model.rules?.engine, data.frame.ids, data.asOf);
  const s = await m.model.scoreFrame(data.frame, { asOf: data.asOf, eventsByLead, reasons: k });
  const reasonText = (r: { text: string; contribution: number }) => `${r.text} (${r.contribution >= 0 ? '+' : ''}${r.contribution.toFixed(2)})`;
  const rows = data.frame.ids.map((id, i) => {
    const reasons = s.reasons?.[i] ?? [];
    return [
      id,
      Number(s.probability[i]!.toFixed(6)),
      Math.round(s.probability[i]! * 100),
      s.tier[i]!,
      s.ruleScore ? s.ruleScore[i]! : null,
      s.ruleTier ? s.ruleTier[i]! : null,
      ...Array.from({ length: 3 }, (_, j) => (reasons[j] ? reasonText(reasons[j]!) : null)),
    ];
  });
  await writeTable(options.output, [...scoreColumns], rows);
  return { rows: rows.length, skipped: data.skipped, warnings: data.warnings };
}
