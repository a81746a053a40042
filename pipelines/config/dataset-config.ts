import { z } from 'zod';
import {
  AsOfConfig,
  ColumnSpecInput,
  EventsConfig,
  OutcomesConfig,
  TextEncoding,
  withSource,
} from '../../features/feature-config.ts';
import { TrainingConfig } from '../../training/training-config.ts';
import { Labels } from './labels.ts';

export const FileFormat = z.enum(['csv', 'tsv', 'parquet', 'jsonl']);
export type FileFormat = z.infer<typeof FileFormat>;

/** The leads file (or PostgreSQL table or query): one row per lead. Paths are relative to the config file. */
export const LeadsFileConfig = withSource({
  /** Inferred from the extension when absent (.csv, .tsv, .parquet, .jsonl/.ndjson). */
  format: FileFormat.optional(),
  /** CSV delimiter; sniffed when absent. */
  delimiter: z.string().min(1).max(4).optional(),
  /** Read `path` as a glob pattern (`leads-*.csv`: every matching file, same columns). Default false: `*`, `?` and `[` are part of the file name. */
  glob: z.boolean().optional(),
  /** Text encoding of a CSV, TSV or JSON Lines file: utf-8 (default), latin-1 or windows-1252. */
  encoding: TextEncoding.optional(),
});
export type LeadsFileConfig = z.infer<typeof LeadsFileConfig>;

const LabelValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);

/** What "converted" means: a column with its positive values, or presence in the outcomes file. */
export const LabelConfig = z.union([
  z
    .object({
      column: z.string().min(1),
      /** Values (compared as text, case-insensitive) that mean converted, e.g. [yes] or [1]. */
      positive: z.array(LabelValue).min(1),
      /**
       * Values that mean not converted. Absent: the column may hold two distinct values at most
       * (a third is refused, listing them all). Given: a value in neither list is a row error.
       */
      negative: z.array(LabelValue).min(1).optional(),
    })
    .strict()
    .superRefine((label, ctx) => {
      const positive = new Set(label.positive.map((v) => v.trim().toLowerCase()));
      label.negative?.forEach((v, i) => {
        if (positive.has(v.trim().toLowerCase()))
          ctx.addIssue({ code: 'custom', path: ['negative', i], message: `"${v}" is also a positive value` });
      });
    }),
  z
    .object({
      /** The lead converted when its id appears among the outcomes file's wins. */
      fromOutcomes: z.literal(true),
      /** Days after asOf a win still counts; absent: any win after asOf. */
      horizonDays: z.number().positive().optional(),
    })
    .strict(),
]);
export type LabelConfig = z.infer<typeof LabelConfig>;

/** A dataset config: what to read and how each column is used. */
export const DatasetConfig = z
  .object({
    /** Short name used in artifacts and reports. */
    name: z.string().min(1),
    description: z.string().optional(),
    leads: LeadsFileConfig,
    /** Column holding the lead id. Absent: the 1-based row number is the id. */
    idColumn: z.string().min(1).optional(),
    label: LabelConfig,
    /** Column types and options; columns not listed are inferred. */
    columns: z.record(z.string(), ColumnSpecInput).default({}),
    /** Columns never used as features, each with the reason (identifier, leaks the label...). */
    exclude: z.record(z.string(), z.string().min(1)).default({}),
    /** Extra values read as missing, besides empty cells (e.g. Select). */
    missingValues: z.array(z.string()).default([]),
    events: EventsConfig.optional(),
    outcomes: OutcomesConfig.optional(),
    asOf: AsOfConfig.optional(),
    /** Rules file (marketing's points system), relative to the config file. */
    rules: z.string().min(1).optional(),
    /** Words for columns and values in the report, reasons and points sheets (raw names stay in JSON). Default none. */
    labels: Labels.optional(),
    training: TrainingConfig.default(TrainingConfig.parse({})),
  })
  .strict();
export type DatasetConfig = z.infer<typeof DatasetConfig>;
