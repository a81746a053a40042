import path from 'node:path';
import { seededSample } from '../../models/seeded-random.ts';
import { DriftReference, driftReference, numericReference } from '../../training/drift/drift-reference.ts';
import type { FittedLeadModel } from '../train/fit-lead-model.ts';
import { takeData, type PreparedData } from '../train/prepare-data.ts';
import { readJsonFile } from '../io/read-json-file.ts';

/** The drift reference's file name inside a model artifact. */
export const driftReferenceFile = 'drift-reference.json';

/** Training rows whose scores the score's reference is taken from, at most: its deciles need no more. */
const SCORE_SAMPLE_ROWS = 200_000;

/**
 * The drift reference of a fitted model: the distribution of its training rows and of its
 * scores on them (on a seeded sample of `scoreSampleRows` of them when there are more), as
 * artifact files. Pass it as `runTrain`'s `extraFiles`.
 */
export async function driftReferenceFiles(
  fitted: FittedLeadModel,
  data: PreparedData,
  scoreSampleRows = SCORE_SAMPLE_ROWS,
): Promise<Record<string, Uint8Array>> {
  const train = fitted.split.train;
  const trainData = takeData(data, train);
  const reference = driftReference(trainData.frame);
  const { frame, asOf } =
    train.length > scoreSampleRows ? takeData(trainData, seededSample(train.length, scoreSampleRows, 0)) : trainData;
  const scored = await fitted.model.scoreFrame(frame, { asOf, rules: false });
  reference.score = numericReference('score', scored.probability);
  return { [driftReferenceFile]: new TextEncoder().encode(`${JSON.stringify(reference)}\n`) };
}

/** The drift reference stored in a model directory, or null when the artifact has none. */
export async function readDriftReference(modelDir: string): Promise<DriftReference | null> {
  return readJsonFile(path.join(modelDir, driftReferenceFile), DriftReference.nullable(), { ifMissing: () => null });
}
