// `npm run build:charts` (and `npm run build`): compiles the report's Vega-Lite charts
// (pipelines/report/chart-specs.ts) to the Vega specs the report renders,
// pipelines/report/chart-templates.json, which is committed; a test fails when it is stale.
import { writeFileSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const { chartTemplatesJson } = await import('../pipelines/report/compile-charts.ts');
const { CHART_TEMPLATES_FILE } = await import('../pipelines/report/chart-templates.ts');
writeFileSync(CHART_TEMPLATES_FILE, chartTemplatesJson());
