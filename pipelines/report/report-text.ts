import type { ReportData } from './report-data.ts';
import type { ReportNumbers, ScorerSummary } from './report-numbers.ts';

/**
 * The words and formatted numbers shared by the HTML report and the terminal tables of
 * `compare`; free of the charting libraries so `compare` starts fast.
 */

/** A rate as a percentage with one decimal, or a dash when undefined. */
export function formatRate(rate: number | null): string {
  return rate === null || !Number.isFinite(rate) ? '–' : `${(rate * 100).toFixed(1)} %`;
}

const fixed = (x: number | null, digits = 3) => (x === null || !Number.isFinite(x) ? '–' : x.toFixed(digits));

/** Summary rows: label, model value, rules value, which is better, and what it means. */
export function summaryRows(
  n: ReportNumbers,
): { metric: string; model: string; rules: string; better: 'model' | 'rules' | null; note: string }[] {
  const { model, rules } = n.summary;
  const higher = (a: number, b: number) =>
    !Number.isFinite(a) || !Number.isFinite(b) || a === b ? null : a > b ? 'model' : 'rules';
  const tier = (s: ScorerSummary) =>
    `${s.topTier.tier}: ${formatRate(s.topTier.conversionRate)} (${formatRate(s.topTier.share)} of leads)`;
  return [
    {
      metric: 'ROC AUC',
      model: fixed(model.auc),
      rules: fixed(rules.auc),
      better: higher(model.auc, rules.auc),
      note: 'Chance that a converted lead outscores one that did not (0.5 = coin flip).',
    },
    {
      metric: 'PR AUC',
      model: fixed(model.prAuc),
      rules: fixed(rules.prAuc),
      better: higher(model.prAuc, rules.prAuc),
      note: `Average precision; a random order scores the conversion rate, ${fixed(n.baseRate)}.`,
    },
    {
      metric: 'Brier score',
      model: fixed(model.brier, 4),
      rules: '–',
      better: null,
      note: 'Mean squared error of the probability, lower is better. Rule points are not probabilities.',
    },
    {
      metric: 'Calibration error (ECE)',
      model: fixed(model.ece, 4),
      rules: '–',
      better: null,
      note: 'Average gap between predicted and observed conversion rate (10 probability bins), lower is better.',
    },
    {
      metric: 'Lift, top 10 %',
      model: fixed(model.liftTop10, 2),
      rules: fixed(rules.liftTop10, 2),
      better: higher(model.liftTop10, rules.liftTop10),
      note: 'Conversion rate of the best-scored 10 % of leads over the overall rate.',
    },
    {
      metric: 'Conversions found in top 10 %',
      model: formatRate(model.captureTop10),
      rules: formatRate(rules.captureTop10),
      better: higher(model.captureTop10, rules.captureTop10),
      note: 'Share of all conversions among the best-scored 10 % of leads.',
    },
    {
      metric: 'Top tier conversion',
      model: tier(model),
      rules: tier(rules),
      better: null,
      note: topTierSizes(n)
        ? 'Conversion rate of each scorer’s best tier. The tiers differ in size: a smaller tier converts at a higher rate more easily.'
        : 'Conversion rate of each scorer’s best tier; compare with its share of leads.',
    },
  ];
}

/** Plain-language sentences on the main differences; exported for tests. */
export function findingSentences(n: ReportNumbers, data: ReportData): string[] {
  const out: string[] = [];
  const { model, rules } = n.summary;
  out.push(
    `Contacting the best-scored 10 % of leads finds ${formatRate(model.captureTop10)} of all conversions with the model and ${formatRate(rules.captureTop10)} with the rules.`,
  );
  const sizes = topTierSizes(n);
  out.push(
    `The model’s top tier “${model.topTier.tier}” converts at ${formatRate(model.topTier.conversionRate)} (${formatRate(model.topTier.share)} of leads); the rules’ top tier “${rules.topTier.tier}” at ${formatRate(rules.topTier.conversionRate)} (${formatRate(rules.topTier.share)} of leads).${sizes ? ` ${sizes}` : ''}`,
  );
  const cell = (rule: string | undefined, mdl: string | undefined) =>
    n.agreement.find((c) => c.ruleTier === rule && c.modelTier === mdl);
  const ruleTop = data.ruleTiers[0];
  const ruleBottom = data.ruleTiers[data.ruleTiers.length - 1];
  const modelTop = data.modelTiers[0];
  const modelBottom = data.modelTiers[data.modelTiers.length - 1];
  if (data.ruleTiers.length > 1 && data.modelTiers.length > 1) {
    const promoted = cell(ruleBottom, modelTop);
    if (promoted && promoted.leads > 0) {
      out.push(
        `${promoted.leads.toLocaleString('en-US')} leads the rules put in their bottom tier “${ruleBottom}” are in the model’s top tier “${modelTop}”; they convert at ${formatRate(promoted.conversionRate)}.`,
      );
    }
    const demoted = cell(ruleTop, modelBottom);
    if (demoted && demoted.leads > 0) {
      out.push(
        `${demoted.leads.toLocaleString('en-US')} leads in the rules’ top tier “${ruleTop}” are in the model’s bottom tier “${modelBottom}”; they convert at ${formatRate(demoted.conversionRate)}.`,
      );
    }
  }
  return out;
}

/**
 * The sentence for top tiers of different sizes, or null when they are about the same: a
 * small tier converts at a high rate more easily, so the rates alone do not compare.
 */
export function topTierSizes(n: ReportNumbers): string | null {
  const a = n.summary.model.topTier;
  const b = n.summary.rules.topTier;
  const [small, large] = a.share <= b.share ? [a.share, b.share] : [b.share, a.share];
  if (large - small < 0.02 && large <= 1.25 * small) return null;
  const smaller = a.share < b.share ? 'model’s' : 'rules’';
  return `The two top tiers differ in size (${formatRate(a.share)} of leads for the model, ${formatRate(b.share)} for the rules): the ${smaller} smaller tier can convert at a higher rate just by being more selective, so compare each rate with its tier’s size, or the two scorers at the same share (lift at the top 10 %).`;
}
