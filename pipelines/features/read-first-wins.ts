import { InputError } from '../../features/errors.ts';
import type { OutcomesConfig } from '../../features/feature-config.ts';
import { ident, literal, openDuckDb, queryRows } from '../io/duckdb.ts';
import { assertReadable, tableSourceSql } from '../io/table-source.ts';
import { preparePostgresSource } from '../io/postgres-source.ts';
import { timestampMsSql } from './events-source.ts';

/**
 * The earliest won deal's close time (epoch ms) per lead id, from the outcomes file. A row
 * is a win when its status (case-insensitive) is among wonValues, or always when no status
 * column is configured. Wins without a close time are InputErrors: a point-in-time label
 * cannot place them.
 */
export async function readFirstWins(outcomes: OutcomesConfig): Promise<Map<string, number>> {
  await preparePostgresSource(outcomes.path);
  assertReadable(outcomes.path, outcomes.glob);
  const textColumns = outcomes.timestampFormat ? [outcomes.closedAtColumn] : [];
  const source = tableSourceSql(outcomes.path, outcomes.format, {
    glob: outcomes.glob,
    encoding: outcomes.encoding,
    textColumns,
  });
  const conn = await openDuckDb();
  try {
    await conn.run(`SET TimeZone = 'UTC'`);
    const described = await queryRows(conn, `DESCRIBE SELECT * FROM ${source}`).catch((err: Error) => {
      throw new InputError(`${outcomes.path}: cannot read outcomes: ${err.message.split('\n')[0]}`);
    });
    const types = new Map(described.map((r) => [String(r.column_name), String(r.column_type)]));
    const need = (name: string, key: string) => {
      if (!types.has(name)) throw new InputError(`${outcomes.path}: column "${name}" not found (outcomes.${key})`);
      return ident(name);
    };
    const lead = need(outcomes.leadIdColumn, 'leadIdColumn');
    const closed = timestampMsSql(
      need(outcomes.closedAtColumn, 'closedAtColumn'),
      types.get(outcomes.closedAtColumn)!,
      outcomes.timestampFormat,
    );
    const won = outcomes.statusColumn
      ? `lower(trim(CAST(${need(outcomes.statusColumn, 'statusColumn')} AS VARCHAR))) IN (${outcomes.wonValues.map((v) => literal(v.trim().toLowerCase())).join(', ')})`
      : 'true';
    let rows: Record<string, unknown>[];
    try {
      rows = await queryRows(
        conn,
        `SELECT CAST(${lead} AS VARCHAR) AS id, min(${closed}) AS closed, count(*) FILTER (WHERE ${closed} IS NULL) AS undated
         FROM ${source} WHERE ${lead} IS NOT NULL AND ${won} GROUP BY 1`,
      );
    } catch (err) {
      throw new InputError(`${outcomes.path}: cannot read outcomes: ${(err as Error).message.split('\n')[0]}`);
    }
    const wins = new Map<string, number>();
    for (const r of rows) {
      if (Number(r.undated) > 0)
        throw new InputError(
          `${outcomes.path}: lead "${String(r.id)}" has a won deal without ${outcomes.closedAtColumn}`,
        );
      wins.set(String(r.id), Number(r.closed));
    }
    return wins;
  } finally {
    conn.closeSync();
  }
}
