import { z } from 'zod';
import { ColumnType } from './frame.ts';

/**
 * How one column becomes features. A bare type string (`age: numeric`) is shorthand for
 * `{ type: numeric }`.
 */
export const ColumnSpec = z
  .object({
    type: ColumnType,
    /** Date format for timestamp columns written as text, e.g. `DD-MM-YYYY` or strptime `%d/%m/%Y %H:%M`. */
    format: z.string().min(1).optional(),
    /** Numeric transform before standardisation; `log` is log1p of max(x, 0). Default none. */
    transform: z.enum(['none', 'log', 'quantile']).optional(),
    /** Categorical: values seen fewer times than this on training rows go to the rare bucket. Default 10. */
    minFrequency: z.number().int().min(1).optional(),
    /** Text: treat the column as an email address (free-mail vs company domain). Default false. */
    email: z.boolean().optional(),
    /**
     * Categorical: tell values apart by case (`a` and `A` are two categories). Default false:
     * values are trimmed and case-folded for the model and the rules alike (see categoryKey).
     */
    caseSensitive: z.boolean().optional(),
  })
  .strict();
export type ColumnSpec = z.infer<typeof ColumnSpec>;

/** A list whose items must differ: a repeated one names itself (`types: "page_view" is listed twice`). */
function distinct<T extends z.ZodType>(item: T) {
  return z.array(item).superRefine((items, ctx) => {
    const seen = new Set<unknown>();
    items.forEach((v, i) => {
      if (seen.has(v)) ctx.addIssue({ code: 'custom', path: [i], message: `${JSON.stringify(v)} is listed twice` });
      seen.add(v);
    });
  });
}

export const ColumnSpecInput = z
  .union([ColumnType, ColumnSpec])
  .transform((v) => (typeof v === 'string' ? { type: v } : v));

/**
 * Text encodings a CSV, TSV or JSON Lines file may be declared in; absent: UTF-8. `latin-1`
 * is read as windows-1252, its superset, as browsers do.
 */
export const TextEncoding = z.enum(['utf-8', 'latin-1', 'windows-1252']);
export type TextEncoding = z.infer<typeof TextEncoding>;

/**
 * A PostgreSQL table or query read instead of a file: `{ url, table }` (`schema.table`
 * allowed) or `{ url, query }` (the user's own SELECT, run read-only).
 */
export const PostgresSource = z
  .object({
    /** Connection URL, postgres://user@host:port/database (a password is better kept in $PGPASSWORD or ~/.pgpass). */
    url: z.string().min(1),
    /** Table (or view) read whole, `name` or `schema.name`. */
    table: z.string().min(1).optional(),
    /** A SELECT whose rows are read, in a read-only transaction. */
    query: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if ((s.table === undefined) === (s.query === undefined))
      ctx.addIssue({ code: 'custom', message: 'give either table or query' });
  });
export type PostgresSource = z.infer<typeof PostgresSource>;

/** Options of a file that mean nothing for a PostgreSQL source. */
const fileOnlyKeys = ['format', 'delimiter', 'glob', 'encoding'] as const;

/**
 * Where a leads, events or outcomes section reads from: a `path`, or a `postgres` source.
 * Exactly one is given; with `postgres`, `path` is set by the loader to the run's copy of
 * the rows (see pipelines/io/postgres-source.ts), never written back into a config.
 */
export function withSource<T extends z.ZodRawShape>(shape: T) {
  return z
    .object({ ...shape, path: z.string().min(1).optional(), postgres: PostgresSource.optional() })
    .strict()
    .superRefine((v: Record<string, unknown>, ctx) => {
      if ((v.path === undefined) === (v.postgres === undefined))
        ctx.addIssue({ code: 'custom', message: 'give either path (a file) or postgres (a table or query)' });
      if (v.postgres !== undefined)
        for (const key of fileOnlyKeys)
          if (v[key] !== undefined)
            ctx.addIssue({ code: 'custom', path: [key], message: `${key} is for files, not a postgres source` });
    })
    .transform((v) => Object.assign(v, { path: (v as { path?: string }).path ?? '' }));
}

/** Engagement events file and what to aggregate from it (see features/ event aggregates). */
export const EventsConfig = withSource({
  format: z.enum(['csv', 'tsv', 'parquet', 'jsonl']).optional(),
  /** Read `path` as a glob pattern (`leads-*.csv`: every matching file, same columns). Default false: `*`, `?` and `[` are part of the file name. */
  glob: z.boolean().optional(),
  leadIdColumn: z.string().default('lead_id'),
  typeColumn: z.string().default('event_type'),
  timestampColumn: z.string().default('ts'),
  /**
   * How text times in timestampColumn are written, when not ISO 8601: the syntax of column
   * formats (`DD-MM-YYYY HH:mm`, or strptime `%d-%m-%Y %H:%M`). Default: ISO 8601, typed or epoch ms.
   */
  timestampFormat: z.string().min(1).optional(),
  encoding: TextEncoding.optional(),
  /** Column holding a unique event id (idempotency online). Optional. */
  eventIdColumn: z.string().optional(),
  /** Numeric property columns summed per event type. */
  numericProperties: distinct(z.string().min(1)).default([]),
  /** Event types to aggregate; others count only in totals. */
  types: distinct(z.string().min(1)).min(1),
  /** Count windows in days. Default 7, 30 and 90. */
  windowsDays: distinct(z.number().positive()).default([7, 30, 90]),
  /** Half-life in days of the decayed engagement score. Default 14. */
  halfLifeDays: z.number().positive().default(14),
});
export type EventsConfig = z.infer<typeof EventsConfig>;

/** Closed deals joined on the lead id. */
export const OutcomesConfig = withSource({
  format: z.enum(['csv', 'tsv', 'parquet', 'jsonl']).optional(),
  /** Read `path` as a glob pattern (`leads-*.csv`: every matching file, same columns). Default false: `*`, `?` and `[` are part of the file name. */
  glob: z.boolean().optional(),
  leadIdColumn: z.string().default('lead_id'),
  /** Column with the deal status; rows whose value is in `wonValues` are wins. Absent: every row is a win. */
  statusColumn: z.string().optional(),
  wonValues: z.array(z.string()).default(['won']),
  /** When the deal closed. */
  closedAtColumn: z.string().default('closed_at'),
  /** How text times in closedAtColumn are written, when not ISO 8601 (as events.timestampFormat). */
  timestampFormat: z.string().min(1).optional(),
  encoding: TextEncoding.optional(),
});
export type OutcomesConfig = z.infer<typeof OutcomesConfig>;

/** The time each lead's features are taken at. */
export const AsOfConfig = z.union([
  z.object({ column: z.string().min(1), offsetDays: z.number().default(0) }).strict(),
  z.object({ fixed: z.iso.datetime({ offset: true }).or(z.iso.date()) }).strict(),
]);
export type AsOfConfig = z.infer<typeof AsOfConfig>;
