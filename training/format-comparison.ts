/**
 * The model-versus-rules result as plain-text tables for a terminal: the headline
 * metrics, the AUC difference with its interval and a one-line verdict, the tiers, and
 * where rule tiers and model tiers agree.
 */

import Table, { type TableConstructorOptions } from 'cli-table3';
import { chanceStatement } from './chance.ts';
import type { ModelRulesComparison } from './comparison.ts';

/** No colour codes (the output also goes to files and logs) and no rules between rows. */
const plain: TableConstructorOptions = { style: { head: [], border: [], compact: true } };

const fixed = (x: number, digits = 3) => x.toFixed(digits);
const percent = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)} %`);
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;
const count = (x: number) => x.toLocaleString('en-US');

/** One sentence on whether the model ranks leads better than the rules. */
export function verdict(c: ModelRulesComparison): string {
  const d = c.aucDifference;
  if (!d) return 'No rules to compare with: the data set has no rules file.';
  const interval = `${Math.round(d.level * 100)} % interval ${signed(d.low)} to ${signed(d.high)}`;
  if (d.low > 0) return `The model ranks leads better than the rules: AUC ${signed(d.estimate)} (${interval}).`;
  if (d.high < 0) return `The rules rank leads better than the model: AUC ${signed(d.estimate)} (${interval}).`;
  return `No clear difference between model and rules: AUC ${signed(d.estimate)} (${interval}).`;
}

function metricsTable(c: ModelRulesComparison): string {
  const t = new Table({ ...plain, head: ['metric', 'model', 'rules'], colAligns: ['left', 'right', 'right'] });
  const r = c.rules;
  const dash = '-';
  t.push(
    ['ROC AUC', fixed(c.model.auc), r ? fixed(r.auc) : dash],
    ['PR AUC', fixed(c.model.prAuc), r ? fixed(r.prAuc) : dash],
    ['Lift, top 10 %', fixed(c.model.liftTop10, 2), r ? fixed(r.liftTop10, 2) : dash],
    ['Capture, top 10 %', percent(c.model.captureTop10), r ? percent(r.captureTop10) : dash],
    ['Log loss', fixed(c.model.logLoss), dash],
    ['Brier score', fixed(c.model.brier), dash],
    ['Calibration error (ECE)', fixed(c.model.ece), dash],
  );
  return t.toString();
}

function tiersTable(c: ModelRulesComparison): string {
  const t = new Table({
    ...plain,
    head: ['scorer', 'tier', 'leads', 'share', 'converted'],
    colAligns: ['left', 'left', 'right', 'right', 'right'],
  });
  for (const [scorer, tiers] of [
    ['model', c.tiers.model],
    ['rules', c.tiers.rules],
  ] as const) {
    for (const tier of tiers)
      t.push([scorer, tier.tier, count(tier.leads), percent(tier.share), percent(tier.conversionRate)]);
  }
  return t.toString();
}

function agreementTable(c: ModelRulesComparison): string {
  const a = c.agreement;
  if (!a) return '';
  const t = new Table({
    ...plain,
    head: ['rule tier \\ model tier', ...a.modelTiers],
    colAligns: ['left', ...a.modelTiers.map(() => 'right' as const)],
  });
  for (const ruleTier of a.ruleTiers) {
    const row = a.modelTiers.map((modelTier) => {
      const cell = a.cells.find((x) => x.ruleTier === ruleTier && x.modelTier === modelTier);
      return cell && cell.leads ? `${count(cell.leads)} (${percent(cell.conversionRate)})` : '0';
    });
    t.push([ruleTier, ...row]);
  }
  return t.toString();
}

/** A short human-readable summary of a comparison, several lines, ending with a newline; first the chance statement when the model is no better than chance (unless `chance: false`, for a caller that printed it already). */
export function formatComparison(c: ModelRulesComparison, options: { chance?: boolean } = {}): string {
  const chance = options.chance === false ? null : chanceStatement(c.modelAuc);
  const parts = [
    ...(chance ? [chance] : []),
    `Model vs rules on ${count(c.rows)} leads, ${count(c.positives)} converted (${percent(c.positiveRate)}).`,
    metricsTable(c),
    verdict(c),
    'Tiers:',
    tiersTable(c),
  ];
  if (c.agreement) parts.push('Leads (conversion rate) by rule tier and model tier:', agreementTable(c));
  return `${parts.join('\n')}\n`;
}
