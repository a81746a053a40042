import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Renders a Vega-Lite spec to an SVG string on the server: compiled to Vega, run in a
 * headless View (no canvas, no DOM). `idPrefix` makes the SVG's internal ids (clip paths,
 * gradients) unique, because several SVGs share one HTML document.
 */
export async function renderChartSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const vegaSpec = compile(spec).spec;
  // Nothing in a report is loaded from a URL; a loader that refuses keeps it that way.
  const loader = vega.loader();
  loader.load = () => Promise.reject(new Error('report charts load no external data'));
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none', loader });
  try {
    const svg = await view.toSVG();
    return prefixIds(svg, idPrefix);
  } finally {
    view.finalize();
  }
}

function prefixIds(svg: string, prefix: string): string {
  return svg.replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`).replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`);
}
