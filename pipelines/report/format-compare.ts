import Table from 'cli-table3';
import { ReportData, type ReportDataInput } from './report-data.ts';
import { reportNumbers, type ReportNumbers } from './report-numbers.ts';
import { findingSentences, formatRate, summaryRows } from './report-text.ts';
import { chanceStatement, type TierSummary } from '../../training/index.ts';

/** Plain tables: no colours, so the text reads the same in a terminal, a pipe or a log file. */
function table(head: string[], aligns: ('left' | 'right')[]): Table.Table {
  return new Table({ head, colAligns: aligns, style: { head: [], border: [], compact: true } });
}

function tierTable(title: string, tiers: TierSummary[]): string {
  const t = table([title, 'Leads', 'Share', 'Converted', 'Conversion'], ['left', 'right', 'right', 'right', 'right']);
  for (const s of tiers)
    t.push([
      s.tier,
      s.leads.toLocaleString('en-US'),
      formatRate(s.share),
      s.conversions.toLocaleString('en-US'),
      formatRate(s.conversionRate),
    ]);
  return t.toString();
}

/** The agreement matrix as a table: rule tiers down, model tiers across, "rate of leads" per cell. */
export function agreementTable(n: ReportNumbers, modelOrder: string[], ruleOrder: string[]): string {
  const t = table(
    ['Rule tier \\ model tier', ...modelOrder, 'All'],
    ['left', ...modelOrder.map(() => 'right' as const), 'right'],
  );
  for (const rule of ruleOrder) {
    const cells = modelOrder.map((model) => n.agreement.find((c) => c.ruleTier === rule && c.modelTier === model)!);
    const all = n.tiers.rules.find((s) => s.tier === rule)!;
    t.push([
      rule,
      ...cells.map((c) => `${formatRate(c.conversionRate)} of ${c.leads.toLocaleString('en-US')}`),
      `${formatRate(all.conversionRate)} of ${all.leads.toLocaleString('en-US')}`,
    ]);
  }
  t.push([
    'All',
    ...n.tiers.model.map((s) => `${formatRate(s.conversionRate)} of ${s.leads.toLocaleString('en-US')}`),
    `${formatRate(n.baseRate)} of ${n.rows.toLocaleString('en-US')}`,
  ]);
  return t.toString();
}

/**
 * The terminal view of `compare`: the summary (model vs rules), tiers of each, and the
 * agreement matrix, each as a table, plus the plain-language findings.
 */
export function formatCompare(input: ReportData | ReportDataInput): string {
  const data = ReportData.parse(input);
  const n = reportNumbers(data);
  const summary = table(['Metric', 'Model', 'Rules'], ['left', 'right', 'right']);
  for (const r of summaryRows(n))
    summary.push([
      r.metric,
      r.better === 'model' ? `${r.model} *` : r.model,
      r.better === 'rules' ? `${r.rules} *` : r.rules,
    ]);
  const chance = chanceStatement(n.modelAuc);
  return [
    ...(chance ? [chance, ''] : []),
    `Model ${data.provenance.modelVersion} vs rules on ${n.rows.toLocaleString('en-US')} leads (${n.conversions.toLocaleString('en-US')} converted, ${formatRate(n.baseRate)})`,
    '',
    summary.toString(),
    '* better of the two',
    '',
    tierTable('Model tier', n.tiers.model),
    '',
    tierTable('Rule tier', n.tiers.rules),
    '',
    ...cutoffLines(data),
    'Agreement: conversion rate of leads in each rule tier × model tier',
    agreementTable(n, data.modelTiers, data.ruleTiers),
    '',
    ...findingSentences(n, data).map((s) => `- ${s}`),
    '',
  ].join('\n');
}

/** Where each tier starts (model score 0-100, rule points) and how the tiers were set; nothing when the data do not say. */
function cutoffLines(data: ReportData): string[] {
  const c = data.tierCutoffs;
  if (!c) return [];
  const from = (list: { tier: string; from: number | null }[], unit: string) =>
    list.map((t) => (t.from === null ? `${t.tier} the rest` : `${t.tier} from ${t.from}${unit}`)).join(', ');
  return [
    `Where the tiers start: model ${from(c.model, '')} (score 0-100); rules ${from(c.rules, ' points')}.`,
    c.modelPolicy,
    c.rulesPolicy,
    '',
  ];
}
