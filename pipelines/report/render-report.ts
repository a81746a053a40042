import { CHART_INPUTS, type ChartId } from './chart-inputs.ts';
import { chartTemplate, fillChart } from './chart-templates.ts';
import { escapeHtml, htmlPage, type ChartSection } from './html-page.ts';
import { renderVegaSvg } from './render-chart.ts';
import { ReportData, type ReportDataInput } from './report-data.ts';
import { reportNumbers, type ReportNumbers } from './report-numbers.ts';
import { findingSentences, formatRate, summaryRows } from './report-text.ts';
import { chanceStatement } from '../../training/index.ts';

/** The charts of the report, in page order: id (its spec and inputs), title, reading guide. */
const CHARTS: {
  id: ChartId;
  title: string;
  guide: string | ((d: ReportData) => string);
  wide?: boolean;
}[] = [
  {
    id: 'roc',
    title: 'ROC curve: model and rules',
    guide:
      'Lower the bar for calling a lead good, step by step: each curve shows the share of converters caught (true positive rate) against the share of non-converters flagged with them (false positive rate). The closer to the top left, the better; the dashed diagonal is a coin flip.',
  },
  {
    id: 'gains',
    title: 'Cumulative gains',
    guide:
      'Work down the list of leads, best scored first: how many of all conversions have you found after contacting this share of leads? Higher is better; the diagonal is a random order.',
  },
  {
    id: 'lift',
    title: 'Lift by decile',
    guide:
      'Leads split into ten equal groups by score. A bar of 3 means that group converts at three times the overall rate; the dashed line at 1 is the average lead.',
  },
  {
    id: 'reliability',
    title: 'Reliability of the model’s probabilities',
    guide:
      'Leads grouped by predicted probability (ten equal groups). Points on the diagonal mean “30 % predicted” really converts about 30 % of the time.',
  },
  {
    id: 'distributions',
    title: 'Score distributions: converted vs not converted',
    guide:
      'Where the scores of converted leads (green, above the axis) and not converted leads (grey, below it) fall, drawn back to back so neither hides the other; each group sums to 100 %. The less their peaks line up, the better the score tells them apart.',
    wide: true,
  },
  {
    id: 'tiers',
    title: 'Conversion rate per tier',
    guide:
      'Each bar is a tier, best first, labelled with its conversion rate and number of leads; under it, the score where the tier starts. Good tiers step down steeply.',
    wide: true,
  },
  {
    id: 'agreement',
    title: 'Agreement: rule tier × model tier',
    guide:
      'Each cell counts the leads given that rule tier and that model tier, and how many of them converted. Cells off the diagonal are where the two disagree: the conversion rate tells which one was right.',
    wide: true,
  },
  {
    id: 'features',
    title: 'What moves the model’s scores',
    guide: (d) =>
      d.featureUnit === 'points'
        ? 'The features that move leads’ scores most: how many points of the 0-100 score a lead gains or loses from each, on average over the evaluated leads. Green: a higher value (or having this value) raises the score; red: it lowers the score.'
        : 'The features that move leads’ scores most, on average over the evaluated leads (log-odds). Green: a higher value (or having this value) raises the score; red: it lowers the score.',
    wide: true,
  },
];

/** Renders the self-contained HTML report (charts as inline SVG, no scripts, no network). */
export async function renderReport(input: ReportData | ReportDataInput): Promise<string> {
  const data = ReportData.parse(input);
  const n = reportNumbers(data);
  const sections: ChartSection[] = [];
  for (const chart of CHARTS) {
    if (chart.id === 'features' && n.features.length === 0) continue;
    const inputs = CHART_INPUTS[chart.id](n, data);
    const svg = await renderVegaSvg(fillChart(chartTemplate(chart.id), inputs), `chart-${chart.id}`);
    sections.push({
      id: chart.id,
      title: chart.title,
      guide: typeof chart.guide === 'string' ? chart.guide : chart.guide(data),
      svg,
      wide: chart.wide,
    });
  }
  const date = data.provenance.generatedAt.slice(0, 10);
  const chance = chanceStatement(n.modelAuc);
  return htmlPage({
    ...(chance ? { warningHtml: `<p class="chance" id="chance" role="alert">${escapeHtml(chance)}</p>` } : {}),
    title: data.title,
    subtitle: `${n.rows.toLocaleString('en-US')} leads, ${n.conversions.toLocaleString('en-US')} converted (${formatRate(n.baseRate)}) · model ${data.provenance.modelVersion} · ${date}`,
    summaryHtml: summaryTable(n),
    findingsHtml: findings(n, data),
    ...(data.tierCutoffs ? { cutoffsHtml: cutoffsTable(data) } : {}),
    sections,
    provenanceHtml: provenanceTable(data, n),
  });
}

function summaryTable(n: ReportNumbers): string {
  const cell = (text: string, best: boolean) => `<td class="num${best ? ' better' : ''}">${escapeHtml(text)}</td>`;
  const rows = summaryRows(n)
    .map(
      (r) =>
        `<tr><th scope="row">${escapeHtml(r.metric)}</th>${cell(r.model, r.better === 'model')}${cell(r.rules, r.better === 'rules')}<td class="note">${escapeHtml(r.note)}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>Metric</th><th><span class="swatch" style="background:#2563eb"></span>Model</th><th><span class="swatch" style="background:#ea580c"></span>Rules</th><th>Meaning</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function findings(n: ReportNumbers, data: ReportData): string {
  return `<ul class="findings">${findingSentences(n, data)
    .map((s) => `<li>${escapeHtml(s)}</li>`)
    .join('')}</ul>`;
}

function provenanceTable(data: ReportData, n: ReportNumbers): string {
  const p = data.provenance;
  const rows: [string, string | undefined][] = [
    ['Generated', p.generatedAt],
    ['Model version', p.modelVersion],
    ['Model kind', p.modelKind],
    ['Rules', p.rulesName],
    ['Data file', p.dataFile],
    ['Data fingerprint', p.dataFingerprint],
    ['Rows evaluated', `${n.rows.toLocaleString('en-US')}${p.rows ? ` (${p.rows})` : ''}`],
  ];
  return `<table><tbody>${rows
    .filter((r): r is [string, string] => r[1] !== undefined)
    .map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td><code>${escapeHtml(v)}</code></td></tr>`)
    .join('')}</tbody></table>`;
}

/** Where each tier starts, in the model's score (0-100) and in rule points, and how each was set. */
function cutoffsTable(data: ReportData): string {
  const c = data.tierCutoffs!;
  const from = (x: number | null | undefined, unit: string) =>
    x === null || x === undefined ? 'the rest' : `${x}${unit} or more`;
  const rows = Math.max(c.model.length, c.rules.length);
  const body = Array.from({ length: rows }, (_, k) => {
    const m = c.model[k];
    const r = c.rules[k];
    return `<tr><td>${escapeHtml(m?.tier ?? '')}</td><td class="num">${m ? escapeHtml(from(m.from, '')) : ''}</td><td>${escapeHtml(r?.tier ?? '')}</td><td class="num">${r ? escapeHtml(from(r.from, ' points')) : ''}</td></tr>`;
  }).join('');
  return `<p class="guide">${escapeHtml(c.modelPolicy)} ${escapeHtml(c.rulesPolicy)} A score of 45 can be “cold” on one data set and 17 “hot” on another: the cut-offs, not the number alone, say what a score means here.</p>
<table><thead><tr><th>Model tier</th><th>Model score (0-100)</th><th>Rule tier</th><th>Rule points</th></tr></thead><tbody>${body}</tbody></table>`;
}
