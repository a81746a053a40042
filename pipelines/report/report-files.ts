import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../features/errors.ts';
import { ReportData } from './report-data.ts';
import { readJsonFile } from '../io/read-json-file.ts';
import { writeFileAtomic } from '../registry/atomic-write.ts';

/** Bad fields listed in an error message before the rest are only counted: a broken array has thousands. */
const MAX_ISSUES = 3;

/** Reads and validates a ReportData JSON file; an InputError names the file and the bad fields. */
export function readReportDataFile(file: string): Promise<ReportData> {
  return readJsonFile(file, ReportData, { what: 'invalid report data', maxIssues: MAX_ISSUES });
}

/**
 * Writes a text output (the HTML report), creating its folder; an InputError names the file
 * on failure. Written under a temporary name and renamed: never half a report under its name.
 */
export async function writeReportFile(file: string, text: string): Promise<void> {
  try {
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await writeFileAtomic(file, text);
  } catch (err) {
    throw new InputError(`${file}: cannot write file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}
