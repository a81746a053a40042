import path from 'node:path';
import { takeRows } from '../../features/frame.ts';
import { DriftReference, driftReference } from '../../training/drift/drift-reference.ts';
import type { FittedLeadModel } from '../train/fit-lead-model.ts';
import type { PreparedData } from '../train/prepare-data.ts';
import { readJsonFile } from '../io/read-json-file.ts';

/** The drift reference's file name inside a model artifact. */
export const driftReferenceFile = 'drift-reference.json';

/**
 * The drift reference of a fitted model: the distribution of its training rows and of its
 * scores on them, as artifact files. Pass it as `runTrain`'s `extraFiles`.
 */
export async function driftReferenceFiles(
  fitted: FittedLeadModel,
  data: PreparedData,
): Promise<Record<string, Uint8Array>> {
  const rows = fitted.split.train;
  const frame = takeRows(data.frame, rows);
  const asOf = data.asOf ? Float64Array.from(rows, (r) => data.asOf![r]!) : undefined;
  const scored = await fitted.model.scoreFrame(frame, { asOf, rules: false });
  const reference = driftReference(frame, scored.probability);
  return { [driftReferenceFile]: new TextEncoder().encode(`${JSON.stringify(reference)}\n`) };
}

/** The drift reference stored in a model directory, or null when the artifact has none. */
export async function readDriftReference(modelDir: string): Promise<DriftReference | null> {
  return readJsonFile(path.join(modelDir, driftReferenceFile), DriftReference.nullable(), { ifMissing: () => null });
}
