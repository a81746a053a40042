import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../../features/errors.ts';
import { formatZodError } from '../config/zod-error.ts';
import { ReportData } from './report-data.ts';

/** Bad fields listed in an error message before the rest are only counted: a broken array has thousands. */
const MAX_ISSUES = 3;

/** Reads and validates a ReportData JSON file; an InputError names the file and the bad fields. */
export async function readReportDataFile(file: string): Promise<ReportData> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`${file}: cannot read file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file}: not valid JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  const result = ReportData.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues;
    const shown = formatZodError(new z.ZodError(issues.slice(0, MAX_ISSUES)));
    const more = issues.length > MAX_ISSUES ? ` (and ${issues.length - MAX_ISSUES} more)` : '';
    throw new InputError(`${file}: invalid report data: ${shown}${more}`);
  }
  return result.data;
}

/** Writes a text output (the HTML report), creating its folder; an InputError names the file on failure. */
export async function writeReportFile(file: string, text: string): Promise<void> {
  try {
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await writeFile(file, text, 'utf8');
  } catch (err) {
    throw new InputError(`${file}: cannot write file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}
