import type { ColumnType } from '../../features/frame.ts';
import { registerPostgresSource, type ExpectedKinds } from '../io/postgres-source.ts';
import type { DatasetConfig } from './dataset-config.ts';

type Kind = 'number' | 'boolean' | 'time' | 'text' | 'other';

/** What PostgreSQL types a column declared with each type may have (text always: it is parsed as a file's would be). */
const kindsFor: Record<ColumnType, readonly Kind[]> = {
  numeric: ['number', 'text'],
  boolean: ['boolean', 'number', 'text'],
  timestamp: ['time', 'text'],
  categorical: ['text', 'number', 'boolean'],
  text: ['text'],
};
const idKinds: readonly Kind[] = ['text', 'number'];
const timeKinds: readonly Kind[] = ['time', 'text', 'number'];

/**
 * Points each section of `config` that reads from PostgreSQL (`postgres:` instead of
 * `path:`) at the file its rows will be copied to when first read. The path is set
 * non-enumerable: a config written out (into a model's manifest) keeps its `postgres:`
 * source, never the run's temporary file.
 */
export function resolvePostgresSources(config: DatasetConfig): void {
  const { leads, events, outcomes } = config;
  if (leads.postgres) {
    const expected = new Map(
      Object.entries(config.columns).map(([name, spec]) => [
        name,
        { kinds: kindsFor[spec.type], key: `columns.${name} (${spec.type})` },
      ]),
    );
    const excluded = new Set(Object.keys(config.exclude));
    setPath(
      leads,
      registerPostgresSource(leads.postgres, 'leads', { expected, strict: (c) => !excluded.has(c), asText: true }),
    );
  }
  if (events?.postgres) {
    const expected: ExpectedKinds = new Map([
      [events.leadIdColumn, { kinds: idKinds, key: 'events.leadIdColumn' }],
      [events.typeColumn, { kinds: ['text'], key: 'events.typeColumn' }],
      [events.timestampColumn, { kinds: timeKinds, key: 'events.timestampColumn' }],
      ...events.numericProperties.map(
        (p) => [p, { kinds: ['number', 'text'] as const, key: 'events.numericProperties' }] as const,
      ),
    ]);
    setPath(events, registerPostgresSource(events.postgres, 'events', { expected }));
  }
  if (outcomes?.postgres) {
    const expected: ExpectedKinds = new Map([
      [outcomes.leadIdColumn, { kinds: idKinds, key: 'outcomes.leadIdColumn' }],
      [outcomes.closedAtColumn, { kinds: timeKinds, key: 'outcomes.closedAtColumn' }],
    ]);
    setPath(outcomes, registerPostgresSource(outcomes.postgres, 'outcomes', { expected }));
  }
}

function setPath(section: { path: string; delimiter?: string }, file: string): void {
  const hidden = (value: string) => ({ value, enumerable: false, writable: true, configurable: true });
  Object.defineProperty(section, 'path', hidden(file));
  // The leads' copy is PostgreSQL's CSV: comma-separated, whatever a sniffer would guess.
  if (file.endsWith('.csv')) Object.defineProperty(section, 'delimiter', hidden(','));
}
