import { z } from 'zod';
import { InputError } from '../../features/errors.ts';
import type { BadRow } from '../io/load-leads.ts';
import type { Phases } from '../io/phases.ts';
import { formatZodError } from '../../features/zod-error.ts';
import { readReportDataFile } from './report-files.ts';
import type { ReportData } from './report-data.ts';

/**
 * Where `report` and `compare` take their numbers from: a model artifact scored on data
 * (`--model DIR [--data FILE]`) or a ReportData JSON file (`--report-data FILE`).
 */
export const ReportSourceOptions = z
  .object({
    /** Model artifact directory. */
    model: z.string().min(1).optional(),
    /** Data file to score instead of the artifact's held-out rows; only with `model`. */
    data: z.string().min(1).optional(),
    /** A ReportData JSON file, instead of a model. */
    reportData: z.string().min(1).optional(),
    /** Skip malformed rows of the data and report them instead of failing. Default false. */
    skipBadRows: z.boolean().optional(),
  })
  .refine((o) => (o.model === undefined) !== (o.reportData === undefined), {
    message: 'give either --model DIR or --report-data FILE',
  })
  .refine((o) => o.data === undefined || o.model !== undefined, { message: '--data needs --model' });
export type ReportSourceOptions = z.infer<typeof ReportSourceOptions>;

/** Parses command options; an InputError says which option is wrong. */
export function parseReportSourceOptions(options: unknown): ReportSourceOptions {
  const result = ReportSourceOptions.safeParse(options);
  if (!result.success) throw new InputError(`options: ${formatZodError(result.error).replace(/^\(root\): /, '')}`);
  return result.data;
}

/**
 * The report input of the chosen source, the rows `--skip-bad-rows` left out and what the
 * leads were read with that is worth telling. A model's leads are scored `chunkRows` at a time.
 */
export async function loadReportData(
  options: ReportSourceOptions,
  run: { chunkRows?: number; phases?: Phases } = {},
): Promise<{ data: ReportData; skipped: BadRow[]; warnings: string[] }> {
  if (options.reportData !== undefined)
    return { data: await readReportDataFile(options.reportData), skipped: [], warnings: [] };
  // Loaded on use: scoring brings in DuckDB and the model runtime, which a JSON input does not need.
  const { reportDataFromModelDir } = await import('./report-data-from-model.ts');
  return reportDataFromModelDir(options.model!, options.data, { skipBadRows: options.skipBadRows, ...run });
}
