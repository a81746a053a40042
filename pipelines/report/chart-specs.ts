import type { TopLevelSpec } from 'vega-lite';
import type { ReportData, TierCutoff } from './report-data.ts';
import { MODEL, RULES, type ReportNumbers } from './report-numbers.ts';
import { formatRate } from './report-text.ts';

/**
 * Vega-Lite specs of the report's charts, one function per chart, each fed only with
 * numbers already computed by `reportNumbers` (the charts draw, they do not compute).
 */

const WIDTH = 400;
const HEIGHT = 280;
const SCORER_COLORS = { domain: [MODEL, RULES], range: ['#2563eb', '#ea580c'] };
const OUTCOME_COLORS = { domain: ['converted', 'not converted'], range: ['#059669', '#94a3b8'] };
const DIRECTION_COLORS = { domain: ['raises score', 'lowers score'], range: ['#059669', '#dc2626'] };
const DIAGONAL = [
  { x: 0, y: 0 },
  { x: 1, y: 1 },
];

/** Shared look: system fonts (nothing to download), quiet axes, white background. */
const CONFIG = {
  background: 'white',
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' as const, gridColor: '#e5e7eb' },
  legend: { labelFontSize: 11, titleFontSize: 11, orient: 'bottom' as const },
  view: { stroke: '#d1d5db' },
};

const baseline = (label: string) => ({
  data: { values: DIAGONAL },
  mark: { type: 'line' as const, strokeDash: [4, 4], color: '#9ca3af', strokeWidth: 1 },
  encoding: {
    x: { field: 'x', type: 'quantitative' as const },
    y: { field: 'y', type: 'quantitative' as const },
    tooltip: { value: label },
  },
});

/** ROC curves of model and rules on one chart, with the chance diagonal. */
export function rocSpec(n: ReportNumbers): TopLevelSpec {
  return {
    config: CONFIG,
    width: WIDTH,
    height: HEIGHT,
    layer: [
      baseline('chance'),
      {
        data: { values: n.roc },
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: {
            field: 'fpr',
            type: 'quantitative',
            title: 'Non-converters flagged',
            axis: { format: '.0%' },
            scale: { domain: [0, 1] },
          },
          y: {
            field: 'tpr',
            type: 'quantitative',
            title: 'Converters caught',
            axis: { format: '.0%' },
            scale: { domain: [0, 1] },
          },
          color: {
            field: 'scorer',
            type: 'nominal',
            title: null,
            scale: SCORER_COLORS,
            legend: {
              labelExpr: `datum.label === '${MODEL}' ? '${MODEL} (AUC ${auc(n.summary.model.auc)})' : '${RULES} (AUC ${auc(n.summary.rules.auc)})'`,
            },
          },
          order: { field: 'fpr', type: 'quantitative' },
        },
      },
    ],
  };
}

/** Cumulative gains: share of conversions found when working down the ranked leads. */
export function gainsSpec(n: ReportNumbers): TopLevelSpec {
  const start = [MODEL, RULES].map((scorer) => ({ scorer, leadsShare: 0, captured: 0 }));
  const values = [
    ...start,
    ...n.gains.map((g) => ({ scorer: g.scorer, leadsShare: g.leadsShare, captured: g.captured })),
  ];
  return {
    config: CONFIG,
    width: WIDTH,
    height: HEIGHT,
    layer: [
      baseline('random order'),
      {
        data: { values },
        mark: { type: 'line', point: true, strokeWidth: 2 },
        encoding: {
          x: {
            field: 'leadsShare',
            type: 'quantitative',
            title: 'Share of leads contacted, best scored first',
            axis: { format: '.0%' },
            scale: { domain: [0, 1] },
          },
          y: {
            field: 'captured',
            type: 'quantitative',
            title: 'Share of conversions found',
            axis: { format: '.0%' },
            scale: { domain: [0, 1] },
          },
          color: { field: 'scorer', type: 'nominal', title: null, scale: SCORER_COLORS },
        },
      },
    ],
  };
}

/** Lift of each decile (its conversion rate over the overall rate), model and rules side by side. */
export function liftSpec(n: ReportNumbers): TopLevelSpec {
  return {
    config: CONFIG,
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: n.gains.map((g) => ({ scorer: g.scorer, decile: g.decile, lift: g.lift })) },
        mark: { type: 'bar' },
        encoding: {
          x: {
            field: 'decile',
            type: 'ordinal',
            title: 'Decile of leads (1 = best scored 10 %)',
            axis: { labelAngle: 0 },
          },
          xOffset: { field: 'scorer', type: 'nominal', scale: { domain: [MODEL, RULES] } },
          y: { field: 'lift', type: 'quantitative', title: 'Lift (× average rate)' },
          color: { field: 'scorer', type: 'nominal', title: null, scale: SCORER_COLORS },
        },
      },
      {
        data: { values: [{ y: 1 }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#374151' },
        encoding: { y: { field: 'y', type: 'quantitative' } },
      },
    ],
  };
}

/** Reliability diagram: mean predicted probability against observed conversion rate per bin. */
export function reliabilitySpec(n: ReportNumbers): TopLevelSpec {
  const top = Math.max(0.05, ...n.reliability.flatMap((b) => [b.meanPredicted, b.observedRate]));
  const domain = [0, Math.min(1, Math.ceil(top * 10) / 10)];
  const diagonal = DIAGONAL.map((p) => ({ x: p.x * domain[1]!, y: p.y * domain[1]! }));
  return {
    config: CONFIG,
    width: HEIGHT + 40,
    height: HEIGHT,
    layer: [
      { ...baseline('perfect calibration'), data: { values: diagonal } },
      {
        data: { values: n.reliability },
        mark: { type: 'line', point: { size: 50, filled: true }, color: SCORER_COLORS.range[0], strokeWidth: 2 },
        encoding: {
          x: {
            field: 'meanPredicted',
            type: 'quantitative',
            title: 'Predicted conversion probability (bin mean)',
            axis: { format: '.0%' },
            scale: { domain },
          },
          y: {
            field: 'observedRate',
            type: 'quantitative',
            title: 'Observed conversion rate',
            axis: { format: '.0%' },
            scale: { domain },
          },
          tooltip: [
            { field: 'count', type: 'quantitative', title: 'leads' },
            { field: 'meanPredicted', type: 'quantitative', format: '.1%' },
            { field: 'observedRate', type: 'quantitative', format: '.1%' },
          ],
        },
      },
    ],
  };
}

function histogramPanel(values: ReportNumbers['distributions']['model'], title: string, format: string) {
  // Back to back: converted leads above the axis, not converted below, so neither hides the other.
  const rows = values.map((v) => ({ ...v, side: v.outcome === 'converted' ? v.share : -v.share }));
  return {
    width: WIDTH,
    height: HEIGHT - 20,
    data: { values: rows },
    mark: { type: 'bar' as const, binSpacing: 0 },
    encoding: {
      x: { field: 'from', type: 'quantitative' as const, bin: { binned: true }, title, axis: { format } },
      x2: { field: 'to' },
      y: {
        field: 'side',
        type: 'quantitative' as const,
        title: 'Share of the group (converted up, not down)',
        axis: { labelExpr: "format(abs(datum.value), '.0%')" },
        stack: null,
      },
      color: { field: 'outcome', type: 'nominal' as const, title: null, scale: OUTCOME_COLORS },
    },
  };
}

/** Score distributions of converted and not converted leads, back to back, for the model and for the rules. */
export function distributionsSpec(n: ReportNumbers): TopLevelSpec {
  return {
    config: CONFIG,
    hconcat: [
      histogramPanel(n.distributions.model, 'Model probability', '.0%'),
      histogramPanel(n.distributions.rules, 'Rule points', '~s'),
    ],
  };
}

function tierPanel(
  values: ReportNumbers['tiers']['model'],
  scorer: string,
  color: string,
  cutoffs?: TierCutoff[],
  unit = '',
) {
  const name = (tier: string) => {
    const from = cutoffs?.find((c) => c.tier === tier)?.from;
    return from === null || from === undefined ? tier : `${tier}\nfrom ${from}${unit}`;
  };
  const rows = values.map((t) => ({
    ...t,
    tier: name(t.tier),
    label: `${formatRate(t.conversionRate)} of ${t.leads.toLocaleString('en-US')}`,
  }));
  const x = {
    field: 'tier',
    type: 'nominal' as const,
    sort: values.map((t) => name(t.tier)),
    title: `${scorer} tier`,
    axis: { labelAngle: 0, labelExpr: "split(datum.label, '\\n')" },
  };
  return {
    width: { step: 84 },
    height: HEIGHT - 30,
    data: { values: rows },
    layer: [
      {
        mark: { type: 'bar' as const, color },
        encoding: {
          x,
          y: {
            field: 'conversionRate',
            type: 'quantitative' as const,
            title: 'Conversion rate',
            axis: { format: '.0%' },
          },
        },
      },
      {
        mark: { type: 'text' as const, dy: -4, fontSize: 11, baseline: 'bottom' as const },
        encoding: {
          x,
          y: { field: 'conversionRate', type: 'quantitative' as const },
          text: { field: 'label', type: 'nominal' as const },
        },
      },
    ],
  };
}

/** Conversion rate per tier, model tiers beside rule tiers, on one shared rate axis. */
export function tiersSpec(n: ReportNumbers, d?: ReportData): TopLevelSpec {
  const c = d?.tierCutoffs;
  return {
    config: CONFIG,
    hconcat: [
      tierPanel(n.tiers.model, c ? `${MODEL} (score 0-100)` : MODEL, SCORER_COLORS.range[0]!, c?.model),
      tierPanel(n.tiers.rules, c ? `${RULES} (points)` : RULES, SCORER_COLORS.range[1]!, c?.rules, ' pts'),
    ],
    resolve: { scale: { y: 'shared' } },
  };
}

/** Rule tier × model tier: lead count and conversion rate in each cell, coloured by rate. */
export function agreementSpec(n: ReportNumbers, modelOrder: string[], ruleOrder: string[]): TopLevelSpec {
  const maxRate = Math.max(0, ...n.agreement.map((c) => c.conversionRate ?? 0));
  const values = n.agreement.map((c) => ({
    ...c,
    leadsLabel: `${c.leads.toLocaleString('en-US')} leads`,
    rateLabel: c.conversionRate === null ? 'no leads' : `${formatRate(c.conversionRate)} convert`,
  }));
  const x = {
    field: 'modelTier',
    type: 'nominal' as const,
    sort: modelOrder,
    title: 'Model tier',
    axis: { orient: 'top' as const, labelAngle: 0 },
  };
  const y = { field: 'ruleTier', type: 'nominal' as const, sort: ruleOrder, title: 'Rule tier' };
  const textColor = { condition: { test: `datum.conversionRate > ${maxRate / 2}`, value: 'white' }, value: '#111827' };
  return {
    config: CONFIG,
    width: { step: 150 },
    height: { step: 68 },
    data: { values },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 2 },
        encoding: {
          x,
          y,
          color: {
            field: 'conversionRate',
            type: 'quantitative',
            title: 'Conversion rate',
            scale: { scheme: 'blues', domainMin: 0 },
            legend: { format: '.0%', orient: 'right' },
          },
        },
      },
      {
        mark: { type: 'text', dy: -8, fontSize: 12, fontWeight: 'bold' },
        encoding: { x, y, text: { field: 'rateLabel' }, color: textColor },
      },
      {
        mark: { type: 'text', dy: 10, fontSize: 11 },
        encoding: { x, y, text: { field: 'leadsLabel' }, color: textColor },
      },
    ],
  };
}

/** The features that move the model's scores most, with direction; long names wrap onto more lines. */
export function featuresSpec(n: ReportNumbers, d?: ReportData): TopLevelSpec {
  const points = d?.featureUnit === 'points';
  const values = n.features.map((f) => ({ ...f, label: wrapLabel(f.feature, 44).join('\n') }));
  const lines = Math.max(1, ...values.map((v) => v.label.split('\n').length));
  return {
    config: CONFIG,
    width: WIDTH + 160,
    height: { step: 10 + 13 * lines },
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: {
        field: 'label',
        type: 'nominal',
        sort: values.map((f) => f.label),
        title: null,
        axis: { labelExpr: "split(datum.label, '\\n')", labelLimit: 0, labelFontSize: 12, labelLineHeight: 13 },
      },
      x: {
        field: 'weight',
        type: 'quantitative',
        title: points
          ? 'Average points a lead gains or loses on the 0-100 score'
          : 'Average effect on the score (log-odds; positive raises it)',
      },
      color: { field: 'direction', type: 'nominal', title: null, scale: DIRECTION_COLORS },
      tooltip: [
        { field: 'feature', type: 'nominal' },
        { field: 'weight', type: 'quantitative', format: '.1f', title: points ? 'points' : 'log-odds' },
      ],
    },
  };
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
