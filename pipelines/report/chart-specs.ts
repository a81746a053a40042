import type { TopLevelSpec } from 'vega-lite';
import type {
  AgreementParams,
  ChartId,
  FeaturesParams,
  ParamsOf,
  ReliabilityParams,
  RocParams,
  TiersParams,
} from './chart-inputs.ts';
import { MODEL, RULES } from './report-numbers.ts';

/**
 * The report's charts in Vega-Lite, their source: each reads its rows from named datasets
 * and its open words and numbers from `p` (see `chart-inputs.ts`), so that they compile once,
 * ahead of time, to the Vega specs the report fills in (`npm run build:charts`). Nothing here
 * runs in the product, which does not depend on Vega-Lite.
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
function rocSpec(p: RocParams): TopLevelSpec {
  return {
    config: CONFIG,
    width: WIDTH,
    height: HEIGHT,
    layer: [
      baseline('chance'),
      {
        data: { name: 'roc' },
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
              labelExpr: `datum.label === '${MODEL}' ? '${MODEL} (AUC ${p.modelAuc})' : '${RULES} (AUC ${p.rulesAuc})'`,
            },
          },
          order: { field: 'fpr', type: 'quantitative' },
        },
      },
    ],
  };
}

/** Cumulative gains: share of conversions found when working down the ranked leads. */
function gainsSpec(): TopLevelSpec {
  return {
    config: CONFIG,
    width: WIDTH,
    height: HEIGHT,
    layer: [
      baseline('random order'),
      {
        data: { name: 'gains' },
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
function liftSpec(): TopLevelSpec {
  return {
    config: CONFIG,
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { name: 'lift' },
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
function reliabilitySpec(p: ReliabilityParams): TopLevelSpec {
  const domain = [0, p.domainMax];
  return {
    config: CONFIG,
    width: HEIGHT + 40,
    height: HEIGHT,
    layer: [
      { ...baseline('perfect calibration'), data: { name: 'diagonal' } },
      {
        data: { name: 'reliability' },
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

function histogramPanel(dataset: string, title: string, format: string) {
  return {
    width: WIDTH,
    height: HEIGHT - 20,
    data: { name: dataset },
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
function distributionsSpec(): TopLevelSpec {
  return {
    config: CONFIG,
    hconcat: [histogramPanel('model', 'Model probability', '.0%'), histogramPanel('rules', 'Rule points', '~s')],
  };
}

function tierPanel(dataset: string, title: string, color: string) {
  const x = {
    field: 'tier',
    type: 'nominal' as const,
    sort: { field: 'tierOrder', op: 'min' as const },
    title,
    axis: { labelAngle: 0, labelExpr: "split(datum.label, '\\n')" },
  };
  return {
    width: { step: 84 },
    height: HEIGHT - 30,
    data: { name: dataset },
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
function tiersSpec(p: TiersParams): TopLevelSpec {
  return {
    config: CONFIG,
    hconcat: [
      tierPanel('model', p.modelTitle, SCORER_COLORS.range[0]!),
      tierPanel('rules', p.rulesTitle, SCORER_COLORS.range[1]!),
    ],
    resolve: { scale: { y: 'shared' } },
  };
}

/** Rule tier × model tier: lead count and conversion rate in each cell, coloured by rate. */
function agreementSpec(p: AgreementParams): TopLevelSpec {
  const x = {
    field: 'modelTier',
    type: 'nominal' as const,
    sort: { field: 'modelTierOrder', op: 'min' as const },
    title: 'Model tier',
    axis: { orient: 'top' as const, labelAngle: 0 },
  };
  const y = {
    field: 'ruleTier',
    type: 'nominal' as const,
    sort: { field: 'ruleTierOrder', op: 'min' as const },
    title: 'Rule tier',
  };
  const textColor = {
    condition: { test: `datum.conversionRate > ${p.whiteTextAbove}`, value: 'white' },
    value: '#111827',
  };
  return {
    config: CONFIG,
    width: { step: 150 },
    height: { step: 68 },
    data: { name: 'cells' },
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
function featuresSpec(p: FeaturesParams): TopLevelSpec {
  return {
    config: CONFIG,
    width: WIDTH + 160,
    height: { step: p.rowStep },
    data: { name: 'features' },
    mark: { type: 'bar' },
    encoding: {
      y: {
        field: 'label',
        type: 'nominal',
        sort: { field: 'labelOrder', op: 'min' },
        title: null,
        axis: { labelExpr: "split(datum.label, '\\n')", labelLimit: 0, labelFontSize: 12, labelLineHeight: 13 },
      },
      x: { field: 'weight', type: 'quantitative', title: p.xTitle },
      color: { field: 'direction', type: 'nominal', title: null, scale: DIRECTION_COLORS },
      tooltip: [
        { field: 'feature', type: 'nominal' },
        { field: 'weight', type: 'quantitative', format: '.1f', title: p.tooltipTitle },
      ],
    },
  };
}

/** Each chart's Vega-Lite spec, by chart id, given the words and numbers it leaves open. */
export const CHART_SPECS: { [K in ChartId]: (p: ParamsOf<K>) => TopLevelSpec } = {
  roc: rocSpec,
  gains: gainsSpec,
  lift: liftSpec,
  reliability: reliabilitySpec,
  distributions: distributionsSpec,
  tiers: tiersSpec,
  agreement: agreementSpec,
  features: featuresSpec,
};
