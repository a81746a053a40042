import path from 'node:path';
import { DriftReference, driftReference } from '../../training/drift/drift-reference.ts';
import type { FittedLeadModel } from '../train/fit-lead-model.ts';
import { takeData, type PreparedData } from '../train/prepare-data.ts';
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
  const { frame, asOf } = takeData(data, fitted.split.train);
  const scored = await fitted.model.scoreFrame(frame, { asOf, rules: false });
  const reference = driftReference(frame, scored.probability);
  return { [driftReferenceFile]: new TextEncoder().encode(`${JSON.stringify(reference)}\n`) };
}

/** The drift reference stored in a model directory, or null when the artifact has none. */
export async function readDriftReference(modelDir: string): Promise<DriftReference | null> {
  return readJsonFile(path.join(modelDir, driftReferenceFile), DriftReference.nullable(), { ifMissing: () => null });
}
