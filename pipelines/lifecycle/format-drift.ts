import Table from 'cli-table3';
import type { FeatureDrift } from '../../training/drift/compare-drift.ts';
import type { DriftRun } from './run-drift.ts';

/** How many new or vanished categories a line spells out. */
const listed = 5;

/** The `leadscore drift` text: one row per column (worst first), the score, and what is flagged. */
export function formatDrift(run: DriftRun): string {
  const out: string[] = [
    `drift of ${run.rows} leads in ${run.data} against the training data of model ${run.version} (${run.referenceRows} rows, reference from ${run.referenceFrom})`,
  ];
  const table = new Table({
    head: ['', 'column', 'kind', 'PSI', 'level', 'notes'],
    style: { head: [], border: [], compact: true },
  });
  const rows = [...run.features].sort((a, b) => b.psi - a.psi);
  if (run.score) rows.unshift(run.score);
  for (const f of rows)
    table.push([
      f.flagged ? '!' : '',
      f === run.score ? '(score)' : f.name,
      f.kind,
      f.psi.toFixed(4),
      f.level,
      notes(f),
    ]);
  out.push(table.toString());
  if (run.absentColumns.length > 0) out.push(`columns missing from the new data: ${run.absentColumns.join(', ')}`);
  if (run.extraColumns.length > 0) out.push(`columns the model does not use: ${run.extraColumns.join(', ')}`);
  if (run.skipped.length > 0) out.push(`not compared: ${run.skipped.map((s) => `${s.name} (${s.reason})`).join(', ')}`);
  out.push(
    run.flagged.length === 0
      ? `no column shifted beyond PSI ${run.threshold}`
      : `${run.flagged.length} shifted beyond PSI ${run.threshold} (!): ${run.flagged.join(', ')}`,
  );
  return `${out.join('\n')}\n`;
}

function notes(f: FeatureDrift): string {
  const parts: string[] = [];
  if (f.newCategories.length > 0) {
    const shown = f.newCategories.slice(0, listed).map((c) => `${c.value} (${c.count})`);
    parts.push(`new: ${shown.join(', ')}${more(f.newCategories.length)}`);
  }
  if (f.missingCategories.length > 0) {
    const shown = f.missingCategories.slice(0, listed).map((c) => `${c.value} (${(c.expected * 100).toFixed(1)}%)`);
    parts.push(`gone: ${shown.join(', ')}${more(f.missingCategories.length)}`);
  }
  return parts.join('; ');
}

function more(n: number): string {
  return n > listed ? `, and ${n - listed} more` : '';
}
