import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../features/errors.ts';
import type { LeadModel } from '../../models/lead-model.ts';
import { parseRulesFile } from '../../models/rules/parse-rules-file.ts';
import { rankMetrics, splitFrame, tierSummary, type TierSummary } from '../../training/index.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import { loadModelDir } from '../evaluate/load-model.ts';
import type { BadRow } from '../io/load-leads.ts';
import { takeData } from '../train/prepare-data.ts';
import { fitLeadModel } from '../train/fit-lead-model.ts';
import { parseDocument } from 'yaml';
import { writeReportFile } from '../report/report-files.ts';
import { prepareData, type PreparedData } from '../train/prepare-data.ts';
import type { Phases } from '../io/phases.ts';

import { ruleTotals, type RuleInput } from './rule-columns.ts';
import { rewriteRulesText } from './rules-document.ts';
import { ruleTallyFor } from './batch-rule-tally.ts';
import { tuneRules, type TunedRules } from './tune-rules.ts';

export interface RunTuneOptions {
  /** Fit on this leads file instead of the config's. */
  data?: string;
  /** Judge on every row of this file (default: the held-out rows of the config's split). */
  test?: string;
  /** Model to compare with (default: one fitted as the config says, on the same training rows). */
  model?: string;
  /** Where the tuned rules file goes. */
  out: string;
  skipBadRows?: boolean;
  /** The clock, for the note on top of the written file. Default now. */
  now?: () => Date;
  /** Told the phases: reading, features, tuning, evaluating, writing. */
  phases?: Phases;
}

/** One scorer on the held-out rows. */
export interface HeldOutFigures {
  scorer: 'original rules' | 'tuned rules' | 'model';
  auc: number;
  liftTop10: number;
  tiers: TierSummary[];
}

export interface RunTune extends TunedRules {
  out: string;
  heldOut: { rows: number; label: string; figures: HeldOutFigures[] };
  skipped: BadRow[];
  /** What the leads were read with that is worth telling (see PreparedData.warnings). */
  warnings: string[];
}

/**
 * `leadscore rules tune`: re-weights the config's rules file on closed deals, writes the
 * tuned file (comments and order kept), and judges original rules, tuned rules and a
 * model on the same held-out rows.
 */
export async function runTune(loaded: LoadedConfig, options: RunTuneOptions): Promise<RunTune> {
  const { config } = loaded;
  const rulesPath = config.rules;
  if (!rulesPath)
    throw new InputError(
      `${path.basename(loaded.file)}: rules: no rules file to tune (add rules: <file> to the config)`,
    );
  const text = await readFile(rulesPath, 'utf8').catch(() => {
    throw new InputError(`${rulesPath}: rules file not found`);
  });
  const original = parseRulesFile(parseDocument(text).toJS(), rulesPath);
  const { phases } = options;
  const data = await prepareData(loaded, { data: options.data, skipBadRows: options.skipBadRows, phases });
  let train: PreparedData;
  let held: PreparedData;
  let heldLabel: string;
  if (options.test) {
    train = data;
    held = await prepareData(loaded, { data: options.test, skipBadRows: options.skipBadRows });
    heldLabel = `every row of ${path.basename(held.frame.source)}`;
  } else {
    const t = config.training;
    const split = splitFrame(data.frame, t.split, t.seed);
    const heldRows = split.test.length > 0 ? split.test : split.validation;
    const trainRows = split.test.length > 0 ? [...split.train, ...split.validation].sort((a, b) => a - b) : split.train;
    train = takeData(data, trainRows);
    held = takeData(data, heldRows);
    heldLabel = `${split.test.length > 0 ? 'test' : 'validation'} rows of ${path.basename(data.frame.source)}`;
  }
  const labels = train.frame.label;
  if (!labels) throw new InputError(`${train.frame.source}: no label to tune on`);
  phases?.phase('tuning');
  const tuned = await tuneRules(original, { ...ruleInput(train), labels });

  const now = (options.now ?? (() => new Date()))();
  const note = `Points and tier thresholds tuned by \`leadscore rules tune\` on ${train.frame.rowCount} leads of ${path.basename(train.frame.source)}, ${now.toISOString().slice(0, 10)}.`;
  phases?.phase('writing');
  await writeReportFile(options.out, rewriteRulesText(text, tuned.rules, options.out, note));

  const heldLabels = held.frame.label;
  if (!heldLabels) throw new InputError(`${held.frame.source}: no label to judge the rules on`);
  phases?.phase('evaluating');
  const figures: HeldOutFigures[] = [];
  const heldInput = ruleInput(held);
  for (const [scorer, rules] of [
    ['original rules', original],
    ['tuned rules', tuned.rules],
  ] as const) {
    const s = await ruleTotals(rules, heldInput);
    figures.push(
      figuresOf(
        scorer,
        heldLabels,
        s.total,
        Array.from(s.tier, (t) => rules.tiers[t]!.name),
        rules.tiers.map((t) => t.name),
      ),
    );
  }
  const model = await comparisonModel(loaded, data, options.model);
  try {
    const asOf = held.asOf;
    const eventsByLead = await ruleTallyFor(held.eventsConfig, model.rules?.engine, held.frame.ids, asOf);
    const scored = await model.scoreFrame(held.frame, { asOf, eventsByLead });
    figures.push(figuresOf('model', heldLabels, scored.probability, scored.tier, model.tierNames));
  } finally {
    model.dispose();
  }
  return {
    ...tuned,
    out: path.resolve(options.out),
    heldOut: { rows: held.frame.rowCount, label: heldLabel, figures },
    skipped: data.skipped,
    warnings: data.warnings,
  };
}

/** The rule engine's view of prepared data: per-row asOf when it has one, else now (as `rules score`). */
export function ruleInput(data: PreparedData): RuleInput {
  return { frame: data.frame, events: data.eventsConfig, asOf: data.asOf ?? Date.now() };
}

function figuresOf(
  scorer: HeldOutFigures['scorer'],
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  tiers: ArrayLike<string>,
  order: readonly string[],
): HeldOutFigures {
  const m = rankMetrics(labels, scores);
  return { scorer, auc: m.auc, liftTop10: m.liftTop10, tiers: tierSummary(labels, tiers, order) };
}

async function comparisonModel(loaded: LoadedConfig, data: PreparedData, dir: string | undefined): Promise<LeadModel> {
  if (dir) return (await loadModelDir(dir)).model;
  const fitted = await fitLeadModel(loaded, data, {
    version: 'rules-tune-comparison',
    createdAt: new Date().toISOString(),
    inputs: [],
    fingerprint: '',
  });
  return fitted.model;
}
