import path from 'node:path';
import type { PreparedData } from '../train/prepare-data.ts';
import type { FittedLeadModel } from '../train/fit-lead-model.ts';
import { reportDataFromScoring } from './report-data-from-model.ts';

/** Name of the report inside a model version's directory. */
export const REPORT_FILE = 'report.html';

/**
 * The report of a freshly trained model on its held-out rows, as an artifact file
 * (`report.html`), for `runTrain`'s `extraFiles`. A model trained without rules has nothing
 * to be compared with, so it gets no report. The date is the model's creation time, so the
 * same run gives the same file.
 */
export async function reportArtifactFiles(
  fitted: FittedLeadModel,
  data: PreparedData,
): Promise<Record<string, Uint8Array>> {
  if (!fitted.model.rules) return {};
  const held = fitted.evaluatedOn === 'test' ? fitted.split.test : fitted.split.validation;
  const reportData = await reportDataFromScoring(
    fitted.model,
    data,
    held,
    {
      rows: `${fitted.evaluatedOn} rows of ${path.basename(data.frame.source)}`,
      dataFingerprint: `sha256:${fitted.model.manifest.fingerprint}`,
      now: new Date(fitted.model.manifest.createdAt),
    },
    fitted.heldRows,
  );
  // Loaded on use, like the report command: the charting libraries are slow to import.
  const { renderReport } = await import('./render-report.ts');
  return { [REPORT_FILE]: new TextEncoder().encode(await renderReport(reportData)) };
}
