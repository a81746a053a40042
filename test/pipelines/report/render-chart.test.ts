import { describe, expect, it } from 'vitest';
import { renderChartSvg } from '../../../pipelines/report/render-chart.ts';

describe('renderChart', () => {
  it('renders a Vega-Lite spec to SVG, its ids prefixed', async () => {
    const svg = await renderChartSvg(
      {
        data: {
          values: [
            { a: 'x', b: 2 },
            { a: 'y', b: 5 },
          ],
        },
        mark: { type: 'bar', clip: true },
        encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } },
      },
      'mine',
    );
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>$/);
    expect(svg.match(/class="mark-rect role-mark marks"/g)).toHaveLength(1);
    expect(svg.match(/<path aria-label="a: [xy]; b: [25]"/g)).toHaveLength(2);
    const ids = [...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => id!.startsWith('mine-'))).toBe(true);
  });
});
