import type { ReportData, TierCutoff } from './report-data.ts';
import { MODEL, RULES, type ReportNumbers } from './report-numbers.ts';
import { formatRate } from './report-text.ts';

/**
 * What each report chart is drawn from: its rows, by dataset name, and the few words and
 * numbers its spec leaves open (a title, a domain's end, a row height). Everything is computed
 * here, from numbers `reportNumbers` already computed; the specs in `chart-specs.ts` only draw.
 * The report fills these into the charts' precompiled Vega specs (`chart-templates.ts`).
 */
export interface ChartInputs<P extends ChartParams = ChartParams> {
  datasets: Record<string, object[]>;
  params: P;
}
export type ChartParams = Record<string, string | number>;

export interface RocParams extends ChartParams {
  /** The AUCs in the legend: digits only (or `n/a`), so they are safe inside a Vega expression string. */
  modelAuc: string;
  rulesAuc: string;
}
export interface ReliabilityParams extends ChartParams {
  /** The end of both axes' domain (they start at 0). */
  domainMax: number;
}
export interface TiersParams extends ChartParams {
  modelTitle: string;
  rulesTitle: string;
}
export interface AgreementParams extends ChartParams {
  /** Cells with a conversion rate above this get white text. */
  whiteTextAbove: number;
}
export interface FeaturesParams extends ChartParams {
  /** The height of one bar's row, room for the longest wrapped label. */
  rowStep: number;
  xTitle: string;
  tooltipTitle: string;
}
export type NoParams = Record<string, never>;

const DIAGONAL = [
  { x: 0, y: 0 },
  { x: 1, y: 1 },
];

/** ROC curves of model and rules, with the AUCs for the legend. */
export function rocInputs(n: ReportNumbers): ChartInputs<RocParams> {
  return {
    datasets: { roc: n.roc },
    params: { modelAuc: auc(n.summary.model.auc), rulesAuc: auc(n.summary.rules.auc) },
  };
}

/** Cumulative gains, each curve starting at the origin. */
export function gainsInputs(n: ReportNumbers): ChartInputs<NoParams> {
  const start = [MODEL, RULES].map((scorer) => ({ scorer, leadsShare: 0, captured: 0 }));
  const gains = [
    ...start,
    ...n.gains.map((g) => ({ scorer: g.scorer, leadsShare: g.leadsShare, captured: g.captured })),
  ];
  return { datasets: { gains }, params: {} };
}

/** Lift of each decile, model and rules. */
export function liftInputs(n: ReportNumbers): ChartInputs<NoParams> {
  return { datasets: { lift: n.gains.map((g) => ({ scorer: g.scorer, decile: g.decile, lift: g.lift })) }, params: {} };
}

/** Reliability bins, on axes that end at the next tenth above the highest point (at least 0.1). */
export function reliabilityInputs(n: ReportNumbers): ChartInputs<ReliabilityParams> {
  const top = Math.max(0.05, ...n.reliability.flatMap((b) => [b.meanPredicted, b.observedRate]));
  const domainMax = Math.min(1, Math.ceil(top * 10) / 10);
  const diagonal = DIAGONAL.map((p) => ({ x: p.x * domainMax, y: p.y * domainMax }));
  return { datasets: { reliability: n.reliability, diagonal }, params: { domainMax } };
}

/** Score histograms, back to back: converted leads above the axis, not converted below, so neither hides the other. */
export function distributionsInputs(n: ReportNumbers): ChartInputs<NoParams> {
  const backToBack = (values: ReportNumbers['distributions']['model']) =>
    values.map((v) => ({ ...v, side: v.outcome === 'converted' ? v.share : -v.share }));
  return {
    datasets: { model: backToBack(n.distributions.model), rules: backToBack(n.distributions.rules) },
    params: {},
  };
}

/** Tiers, best first, each named with the score where it starts when the cut-offs are known. */
export function tiersInputs(n: ReportNumbers, d?: ReportData): ChartInputs<TiersParams> {
  const c = d?.tierCutoffs;
  return {
    datasets: { model: tierRows(n.tiers.model, c?.model), rules: tierRows(n.tiers.rules, c?.rules, ' pts') },
    params: {
      modelTitle: `${c ? `${MODEL} (score 0-100)` : MODEL} tier`,
      rulesTitle: `${c ? `${RULES} (points)` : RULES} tier`,
    },
  };
}

function tierRows(values: ReportNumbers['tiers']['model'], cutoffs?: TierCutoff[], unit = '') {
  const name = (tier: string) => {
    const from = cutoffs?.find((c) => c.tier === tier)?.from;
    return from === null || from === undefined ? tier : `${tier}\nfrom ${from}${unit}`;
  };
  const order = values.map((t) => name(t.tier));
  return values.map((t) => ({
    ...t,
    tier: name(t.tier),
    tierOrder: sortIndex(order, name(t.tier)),
    label: `${formatRate(t.conversionRate)} of ${t.leads.toLocaleString('en-US')}`,
  }));
}

/** Rule tier × model tier cells, in the tiers' own order. */
export function agreementInputs(
  n: ReportNumbers,
  modelOrder: string[],
  ruleOrder: string[],
): ChartInputs<AgreementParams> {
  const maxRate = Math.max(0, ...n.agreement.map((c) => c.conversionRate ?? 0));
  const cells = n.agreement.map((c) => ({
    ...c,
    modelTierOrder: sortIndex(modelOrder, c.modelTier),
    ruleTierOrder: sortIndex(ruleOrder, c.ruleTier),
    leadsLabel: `${c.leads.toLocaleString('en-US')} leads`,
    rateLabel: c.conversionRate === null ? 'no leads' : `${formatRate(c.conversionRate)} convert`,
  }));
  return { datasets: { cells }, params: { whiteTextAbove: maxRate / 2 } };
}

/** The features that move the model's scores most, long names wrapped onto more lines. */
export function featuresInputs(n: ReportNumbers, d?: ReportData): ChartInputs<FeaturesParams> {
  const points = d?.featureUnit === 'points';
  const labelled = n.features.map((f) => ({ ...f, label: wrapLabel(f.feature, 44).join('\n') }));
  const order = labelled.map((f) => f.label);
  const features = labelled.map((f) => ({ ...f, labelOrder: sortIndex(order, f.label) }));
  const lines = Math.max(1, ...labelled.map((v) => v.label.split('\n').length));
  return {
    datasets: { features },
    params: {
      rowStep: 10 + 13 * lines,
      xTitle: points
        ? 'Average points a lead gains or loses on the 0-100 score'
        : 'Average effect on the score (log-odds; positive raises it)',
      tooltipTitle: points ? 'points' : 'log-odds',
    },
  };
}

/**
 * A value's place in a sort order, for sorting a nominal axis by a field: its first position,
 * and after all of them when it is not listed (as Vega-Lite sorts by an explicit array).
 */
function sortIndex(order: string[], value: string): number {
  const i = order.indexOf(value);
  return i === -1 ? order.length : i;
}

/** Words broken into lines of at most `width` characters (a longer word stays whole). */
export function wrapLabel(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** An AUC for a legend label: three decimals, digits only, so it is safe inside a Vega expression string. */
function auc(value: number): string {
  return Number.isFinite(value) ? value.toFixed(3) : 'n/a';
}

/** Each chart's inputs from the report's numbers and data, by chart id. */
export const CHART_INPUTS = {
  roc: (n: ReportNumbers) => rocInputs(n),
  gains: (n: ReportNumbers) => gainsInputs(n),
  lift: (n: ReportNumbers) => liftInputs(n),
  reliability: (n: ReportNumbers) => reliabilityInputs(n),
  distributions: (n: ReportNumbers) => distributionsInputs(n),
  tiers: (n: ReportNumbers, d: ReportData) => tiersInputs(n, d),
  agreement: (n: ReportNumbers, d: ReportData) => agreementInputs(n, d.modelTiers, d.ruleTiers),
  features: (n: ReportNumbers, d: ReportData) => featuresInputs(n, d),
};
export type ChartId = keyof typeof CHART_INPUTS;
export type ParamsOf<K extends ChartId> = ReturnType<(typeof CHART_INPUTS)[K]>['params'];
