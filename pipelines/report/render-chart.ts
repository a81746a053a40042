import type { compile, TopLevelSpec } from 'vega-lite';
import { transforms } from 'vega-dataflow';
import * as encode from 'vega-encode';
import { loader } from 'vega-loader';
import { parse } from 'vega-parser';
import * as tx from 'vega-transforms';
import { extend } from 'vega-util';
import { View } from 'vega-view';
import * as vtx from 'vega-view-transforms';
import { MissingDependencyError } from '../../features/errors.ts';
import type { VegaSpec } from './chart-templates.ts';

// The transforms Vega-Lite's output uses, registered as the `vega` umbrella registers them
// (its others, geo, force, hierarchy, label, regression, voronoi, wordcloud, crossfilter,
// draw nothing the report or a Vega-Lite chart of a notebook needs).
extend(transforms, tx, vtx, encode);

/**
 * Renders a Vega spec to an SVG string on the server, in a headless View (no canvas, no
 * DOM). `idPrefix` makes the SVG's internal ids (clip paths, gradients) unique, because
 * several SVGs share one HTML document.
 */
export async function renderVegaSvg(spec: VegaSpec, idPrefix: string): Promise<string> {
  // Nothing in a report is loaded from a URL; a loader that refuses keeps it that way.
  const refusing = loader();
  refusing.load = () => Promise.reject(new Error('report charts load no external data'));
  const view = new View(parse(spec), { renderer: 'none', loader: refusing });
  try {
    const svg = await view.toSVG();
    return prefixIds(svg, idPrefix);
  } finally {
    view.finalize();
  }
}

/**
 * Renders a Vega-Lite spec (vega-lite's `TopLevelSpec`) to an SVG string, as the report draws
 * its charts: compiled to Vega with the `vega-lite` package, which this needs installed beside
 * leadscore (an optional peer dependency: the report ships its own charts compiled). Typed as
 * an object, so that leadscore's types do not need vega-lite's.
 */
export async function renderChartSvg(spec: object, idPrefix: string): Promise<string> {
  let vegaLite: { compile: typeof compile };
  try {
    vegaLite = await import('vega-lite');
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    throw new MissingDependencyError(
      'renderChart compiles Vega-Lite with the vega-lite package: npm install vega-lite@5',
      {
        cause: err,
      },
    );
  }
  return renderVegaSvg(vegaLite.compile(spec as TopLevelSpec).spec as VegaSpec, idPrefix);
}

function prefixIds(svg: string, prefix: string): string {
  return svg.replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`).replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`);
}
