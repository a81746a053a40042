import { driftReferenceFiles } from '../lifecycle/drift-reference-file.ts';
import { reportArtifactFiles } from '../report/report-artifact-files.ts';
import type { FittedLeadModel } from '../train/fit-lead-model.ts';
import type { PreparedData } from '../train/prepare-data.ts';

/** What every trained version carries besides the model: the HTML report and the drift reference. */
export async function artifactExtras(fitted: FittedLeadModel, data: PreparedData): Promise<Record<string, Uint8Array>> {
  return { ...(await reportArtifactFiles(fitted, data)), ...(await driftReferenceFiles(fitted, data)) };
}
