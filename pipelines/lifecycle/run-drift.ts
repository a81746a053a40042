import { driftReference, type DriftReference } from '../../training/drift/drift-reference.ts';
import { compareDrift, type DriftReport } from '../../training/drift/compare-drift.ts';
import { loadModelDir } from '../evaluate/load-model.ts';
import type { BadRow } from '../io/load-leads.ts';
import { prepareData } from '../train/prepare-data.ts';
import { trainedLeadsFile } from '../train/model-version.ts';
import { readDriftReference } from './drift-reference-file.ts';

export interface RunDriftOptions {
  /** Model artifact directory. */
  model: string;
  /** New leads, in the schema of the model's dataset config (no label needed). */
  data: string;
  /** PSI above this is flagged. Default 0.2. */
  threshold?: number;
  skipBadRows?: boolean;
}

export interface DriftRun extends DriftReport {
  version: string;
  data: string;
  /** `artifact`: the reference stored at train time; `training data`: rebuilt from the leads file it was trained on (artifacts without a reference). */
  referenceFrom: 'artifact' | 'training data';
  skippedRows: BadRow[];
}

/**
 * Compares new leads with a model's training data: each column's PSI and the PSI of the
 * model's scores. The reference is the artifact's `drift-reference.json`; an artifact
 * without one is compared with the leads file it was trained on, scored now.
 */
export async function runDrift(options: RunDriftOptions): Promise<DriftRun> {
  const m = await loadModelDir(options.model);
  try {
    let reference: DriftReference | null = await readDriftReference(m.dir);
    let referenceFrom: DriftRun['referenceFrom'] = 'artifact';
    if (!reference) {
      // The leads file the model was trained on, which --data at train time may have changed.
      const trainedOn = trainedLeadsFile(m.model.manifest);
      const training = await prepareData(m.loaded, { data: trainedOn, requireLabel: false });
      const scored = await m.model.scoreFrame(training.frame, { asOf: training.asOf, rules: false });
      reference = driftReference(training.frame, scored.probability);
      referenceFrom = 'training data';
    }
    const data = await prepareData(m.loaded, {
      data: options.data,
      requireLabel: false,
      skipBadRows: options.skipBadRows,
    });
    const scored = await m.model.scoreFrame(data.frame, { asOf: data.asOf, rules: false });
    const report = compareDrift(reference, data.frame, scored.probability, { threshold: options.threshold });
    return { ...report, version: m.model.version, data: data.frame.source, referenceFrom, skippedRows: data.skipped };
  } finally {
    m.model.dispose();
  }
}
