import { readFileSync } from 'node:fs';
import { InvariantError } from '../../features/errors.ts';
import type { ChartId, ChartInputs } from './chart-inputs.ts';

/**
 * The report's charts as Vega specs compiled ahead of time from their Vega-Lite source
 * (`chart-specs.ts`, by `npm run build:charts`), so that the product needs Vega only. A
 * template's datasets have no values and its open words and numbers are placeholders,
 * `@@name@@`; `fillChart` puts a report's rows and params in their place.
 */
export type VegaSpec = Record<string, unknown>;

/** The generated file, beside this module in the sources and in the build. */
export const CHART_TEMPLATES_FILE = new URL('./chart-templates.json', import.meta.url);

let templates: Record<ChartId, VegaSpec> | undefined;

/** The compiled Vega spec of a chart, with its placeholders and empty datasets. */
export function chartTemplate(id: ChartId): VegaSpec {
  templates ??= (JSON.parse(readFileSync(CHART_TEMPLATES_FILE, 'utf8')) as { charts: Record<ChartId, VegaSpec> })
    .charts;
  const template = templates[id];
  if (!template) throw new InvariantError(`no compiled chart "${id}" in ${CHART_TEMPLATES_FILE.pathname}`);
  return template;
}

const PLACEHOLDER = /@@(\w+)@@/g;

/**
 * A copy of `template` with each named dataset's `values` set from `inputs.datasets` and each
 * placeholder replaced by its param: a string that is a placeholder becomes the param itself
 * (a number stays a number), one inside a longer string (an expression, a title) its text.
 */
export function fillChart(template: VegaSpec, inputs: ChartInputs): VegaSpec {
  const param = (name: string) => {
    const value = inputs.params[name];
    if (value === undefined) throw new InvariantError(`chart param "${name}" missing`);
    return value;
  };
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const whole = /^@@(\w+)@@$/.exec(node);
      if (whole) return param(whole[1]!);
      return node.replace(PLACEHOLDER, (_, name: string) => {
        // Inside a longer string the param may sit in an expression's string literal: only
        // text that needs no escaping there goes in as it is.
        const text = String(param(name));
        if (/["'\\\n]/.test(text)) throw new InvariantError(`chart param "${name}" needs escaping: ${text}`);
        return text;
      });
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v)]));
    }
    return node;
  };
  const spec = fill(template) as VegaSpec & { data?: { name: string; values?: unknown; source?: unknown }[] };
  const named = new Set<string>();
  for (const entry of spec.data ?? []) {
    const values = inputs.datasets[entry.name];
    if (values !== undefined) {
      entry.values = values;
      named.add(entry.name);
    } else if (entry.values === undefined && entry.source === undefined) {
      throw new InvariantError(`chart dataset "${entry.name}" has no rows`);
    }
  }
  const unknown = Object.keys(inputs.datasets).filter((name) => !named.has(name));
  if (unknown.length > 0) throw new InvariantError(`chart has no dataset named ${unknown.join(', ')}`);
  return spec;
}
