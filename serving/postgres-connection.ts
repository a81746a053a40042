import pg from 'pg';
import { InputError } from '../features/errors.ts';

/** Seconds a connection attempt may take before the server counts as unreachable. */
const CONNECT_TIMEOUT_MS = 10_000;

/** `user@host:port/database` of a postgres:// URL, without its password (for messages and logs). */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `${user}${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname || '/'}`;
  } catch {
    return 'postgres (unparseable URL)';
  }
}

/** Refuses what is not a postgres:// or postgresql:// URL, naming `where` (a config field or a flag). */
export function checkPostgresUrl(url: string, where: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new InputError(`${where}: not a URL; expected postgres://user@host:port/database`);
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:')
    throw new InputError(`${where}: ${protocol} URL; expected postgres://user@host:port/database`);
}

/**
 * A connected client for `url`, or an InputError naming `where` when the server cannot be
 * reached or refuses the login. Close it with `end()`.
 */
export async function connectPostgres(url: string, where: string): Promise<pg.Client> {
  checkPostgresUrl(url, where);
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'leadscore',
  });
  // A connection lost while idle is reported by the next query; without a listener it would crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw postgresError(err, where, url);
  }
  return client;
}

/** SQLSTATE classes and codes a user's input or setup causes (see PostgreSQL's errcodes appendix). */
const inputStates = /^(08|22|28|3D|3F|42|25006|0A)/;
const networkCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET']);

/**
 * An error from pg turned into one line naming `where`: an InputError when the user can fix
 * it (server unreachable, login refused, no such table or column, a syntax error, a type that
 * does not fit); anything else is returned as it was.
 */
export function postgresError(err: unknown, where: string, url?: string): Error {
  if (!(err instanceof Error)) return new Error(String(err));
  if (err instanceof InputError) return err;
  const e = err as Error & { code?: string; position?: string };
  const server = url ? ` at ${describePostgresUrl(url)}` : '';
  if ((e.code && networkCodes.has(e.code)) || /timeout|terminated unexpectedly/i.test(e.message))
    return new InputError(`${where}: cannot reach PostgreSQL${server} (${e.code ?? e.message})`);
  if (e.code === '28P01' || e.code === '28000')
    return new InputError(`${where}: PostgreSQL${server} refused the login: ${e.message}`);
  if (e.code && inputStates.test(e.code)) {
    const at = e.position ? ` (at character ${e.position} of the query)` : '';
    return new InputError(`${where}: ${e.message.split('\n')[0]}${at}`);
  }
  return err;
}

/** Quotes one identifier for PostgreSQL. */
export function quotePostgresIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * `name` or `schema.name`, each part quoted as an identifier (`"crm"."lead_scores"`). A part
 * is taken as written, case included; a name with more than one dot is refused.
 */
export function qualifiedTableName(name: string, where: string): { sql: string; schema?: string; table: string } {
  const parts = name.split('.');
  if (parts.length > 2 || parts.some((p) => p.length === 0))
    throw new InputError(`${where}: "${name}" is not a table name (name or schema.name)`);
  const [schema, table] = parts.length === 2 ? [parts[0]!, parts[1]!] : [undefined, parts[0]!];
  return {
    sql:
      schema === undefined ? quotePostgresIdent(table) : `${quotePostgresIdent(schema)}.${quotePostgresIdent(table)}`,
    schema,
    table,
  };
}
