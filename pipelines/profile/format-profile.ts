import type { DataProfile } from './profile-data.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** The profile as a terminal report: header, one line per column, warnings. */
export function formatProfile(p: DataProfile): string {
  const lines: string[] = [];
  lines.push(`${p.file}`);
  lines.push(
    `rows: ${p.rows}${p.skippedRows ? ` (${p.skippedRows} bad rows skipped)` : ''}   label rate: ${p.positiveRate === null ? 'n/a' : pct(p.positiveRate)}`,
  );
  lines.push('');
  const width = Math.min(40, Math.max(6, ...p.columns.map((c) => c.name.length)));
  lines.push(
    `${'column'.padEnd(width)}  ${'type'.padEnd(11)}  ${'missing'.padStart(7)}  ${'distinct'.padStart(8)}  top values`,
  );
  for (const c of p.columns) {
    const top = c.top
      .map((t) => `${t.value.length > 24 ? `${t.value.slice(0, 23)}…` : t.value} (${t.count})`)
      .join(', ');
    const type = `${c.type}${c.typeSource === 'inferred' ? '*' : ''}`;
    const name = c.name.length > width ? `${c.name.slice(0, width - 1)}…` : c.name;
    lines.push(
      `${name.padEnd(width)}  ${type.padEnd(11)}  ${pct(c.missingShare).padStart(7)}  ${String(c.distinct).padStart(8)}  ${top}${c.excluded ? `   [excluded: ${c.excluded}]` : ''}`,
    );
  }
  lines.push('(* type inferred)');
  if (p.warnings.length) {
    lines.push('', 'warnings:');
    for (const w of p.warnings) lines.push(`  ${w.kind.padEnd(10)} ${w.column}: ${w.message}`);
  }
  return `${lines.join('\n')}\n`;
}
