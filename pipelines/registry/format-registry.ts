import Table from 'cli-table3';
import type { HistoryEntry, ProductionRecord } from './production-record.ts';
import type { VersionSummary } from './version-summary.ts';

/** The `models list` table: one row per version, each dataset's production model marked. */
export function formatVersionList(
  versions: VersionSummary[],
  productions: ReadonlyMap<string, ProductionRecord>,
  registry: string,
): string {
  if (versions.length === 0) return `No model versions in ${registry}.\n`;
  const table = new Table({
    head: ['', 'version', 'created', 'dataset', 'kind', 'test AUC', 'evaluated on'],
    style: { head: [], border: [], compact: true },
  });
  const inProduction = new Set([...productions.values()].map((p) => p.version));
  for (const v of versions) {
    table.push([
      inProduction.has(v.version) ? '*' : '',
      v.version,
      v.createdAt,
      v.dataset,
      v.kind,
      auc(v.testAuc),
      v.dataFingerprint,
    ]);
  }
  const live = [...productions].filter(([, p]) => p.version !== null);
  const where =
    live.length === 0
      ? 'no production model yet'
      : live.length === 1
        ? `production: ${live[0]![1].version} (*)`
        : `production: ${live.map(([d, p]) => `${p.version} (${d})`).join(', ')} (*)`;
  return `${table.toString()}\n${versions.length} version${versions.length === 1 ? '' : 's'} in ${registry}; ${where}\n`;
}

/** The `models show` text: summary, production status, and the manifest. */
export function formatVersion(v: VersionSummary, production: ProductionRecord): string {
  const lines = [
    `version:    ${v.version}${v.version === production.version ? ' (production)' : ''}`,
    `model id:   ${v.modelId}`,
    `directory:  ${v.dir}`,
    `created:    ${v.createdAt}`,
    `dataset:    ${v.dataset}`,
    `kind:       ${v.kind}`,
    `test AUC:   ${auc(v.testAuc)}`,
    `evaluated:  ${v.dataFingerprint}`,
    'manifest:',
    ...JSON.stringify(v.manifest, null, 2)
      .split('\n')
      .map((l) => `  ${l}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** One line for a promotion or rollback. */
export function formatHistoryEntry(e: HistoryEntry): string {
  const from = e.previous === null ? 'no production model' : e.previous;
  const head =
    e.action === 'promote' ? `promoted ${e.version} (was ${from})` : `rolled back from ${from} to ${e.version}`;
  const c = e.comparison;
  const figures = c
    ? `; ROC AUC ${c.candidateAuc.toFixed(4)} vs ${c.championAuc.toFixed(4)} (${signed(c.candidateAuc - c.championAuc)}) on ${c.data}, ${c.basis}`
    : '';
  return `${head}${figures}${e.forced ? '; forced' : ''}\n`;
}

function auc(x: number | null): string {
  return x === null ? '' : x.toFixed(4);
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
}
