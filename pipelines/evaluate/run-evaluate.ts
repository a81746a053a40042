import { compareModelToRules, type ModelRulesComparison } from '../../training/index.ts';
import type { BadRow } from '../io/load-leads.ts';
import type { Phases } from '../io/phases.ts';
import { evaluatedRows, scoreLabelledLeads, type LabelledScores } from './labelled-scores.ts';
import type { LoadedModel } from './load-model.ts';

export interface EvaluateOptions {
  /** Evaluate on every row of this file; default: the held-out test rows of the training data. */
  data?: string;
  skipBadRows?: boolean;
  /** Leads read and scored at a time. Default 50,000. */
  chunkRows?: number;
  phases?: Phases;
}

export interface Evaluation {
  version: string;
  source: string;
  rowsUsed: 'all' | 'test' | 'validation';
  comparison: ModelRulesComparison;
  skipped: BadRow[];
  /** What the leads were read with that is worth telling (events that match almost no lead, say). */
  warnings: string[];
}

/**
 * Model and rules on the same labelled rows: every row of `--data`, or else the training
 * data's held-out rows, found again by re-running the stored split with the stored seed.
 * Streamed: the leads are scored a chunk at a time and only a few numbers per lead are kept.
 */
export async function runEvaluate(m: LoadedModel, options: EvaluateOptions = {}): Promise<Evaluation> {
  const { config } = m.loaded;
  const scores = await scoreLabelledLeads(m, options);
  const { rows, rowsUsed, description } = evaluatedRows(m, scores, options.data);
  options.phases?.phase('evaluating');
  const comparison = compareScores(m, scores, rows, description, config.training);
  return {
    version: m.model.version,
    source: scores.source,
    rowsUsed,
    comparison,
    skipped: scores.skipped,
    warnings: scores.warnings,
  };
}

/** Model and rules compared on `rows` of the scores (all when null), in that order. */
export function compareScores(
  m: LoadedModel,
  scores: LabelledScores,
  rows: ArrayLike<number> | null,
  source: string,
  t: { seed: number; evaluation: { bootstrapResamples: number } },
): ModelRulesComparison {
  const { model } = m;
  const take = <T extends Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
    if (!rows) return a;
    const out = make(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = a[rows[i]!]!;
    return out;
  };
  const f64 = (n: number) => new Float64Array(n);
  const u8 = (n: number) => new Uint8Array(n);
  const engine = model.rules?.engine;
  return compareModelToRules(
    {
      source,
      labels: take(scores.labels, u8),
      probabilities: take(scores.probabilities, f64),
      modelTiers: model.tiers,
      rules:
        engine && scores.ruleScores && scores.ruleTiers
          ? {
              scores: take(scores.ruleScores, f64),
              tiers: Array.from(take(scores.ruleTiers, u8), (t) => engine.tierNames[t]!),
              tierOrder: engine.tierNames,
            }
          : undefined,
    },
    { resamples: t.evaluation.bootstrapResamples, seed: t.seed },
  );
}
