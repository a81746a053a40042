import type { OutcomesConfig } from '../../features/feature-config.ts';
import { InputError } from '../../features/errors.ts';
import { readRawTable } from './read-raw-table.ts';

/** Lead ids with a won deal in the outcomes file (any time: point-in-time labels live in pipelines/features/). */
export async function readOutcomeWins(outcomes: OutcomesConfig): Promise<Set<string>> {
  const raw = await readRawTable(outcomes.path, {
    format: outcomes.format,
    glob: outcomes.glob,
    encoding: outcomes.encoding,
  });
  const col = (name: string, key: string) => {
    const i = raw.columns.indexOf(name);
    if (i < 0) throw new InputError(`${outcomes.path}: column "${name}" not found (outcomes.${key})`);
    return raw.values[i]!;
  };
  if (raw.badRows.length > 0)
    throw new InputError(`${outcomes.path}: row ${raw.badRows[0]!.row}: ${raw.badRows[0]!.reason}`);
  const ids = col(outcomes.leadIdColumn, 'leadIdColumn');
  const status = outcomes.statusColumn ? col(outcomes.statusColumn, 'statusColumn') : undefined;
  const won = new Set(outcomes.wonValues.map((v) => v.toLowerCase()));
  const wins = new Set<string>();
  ids.forEach((id, r) => {
    if (id !== null && (!status || won.has((status[r] ?? '').toLowerCase()))) wins.add(id);
  });
  return wins;
}
