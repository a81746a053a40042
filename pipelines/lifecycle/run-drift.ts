import { driftReference, type DriftReference } from '../../training/drift/drift-reference.ts';
import { DriftCounts, type DriftReport } from '../../training/drift/compare-drift.ts';
import { LabelledChunks } from '../evaluate/labelled-chunks.ts';
import { loadModelDir } from '../evaluate/load-model.ts';
import { eventCoverageWarning } from '../features/event-coverage.ts';
import { collectGarbage } from '../io/collect-garbage.ts';
import type { BadRow } from '../io/load-leads.ts';
import type { Phases } from '../io/phases.ts';
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
  /** New leads read and scored at a time. Default 50,000. */
  chunkRows?: number;
  phases?: Phases;
}

export interface DriftRun extends DriftReport {
  version: string;
  data: string;
  /** `artifact`: the reference stored at train time; `training data`: rebuilt from the leads file it was trained on (artifacts without a reference). */
  referenceFrom: 'artifact' | 'training data';
  skippedRows: BadRow[];
  /** What the new leads were read with that is worth telling (events that match almost none of them, say). */
  warnings: string[];
}

/**
 * Compares new leads with a model's training data: each column's PSI and the PSI of the
 * model's scores. The reference is the artifact's `drift-reference.json`; an artifact
 * without one is compared with the leads file it was trained on, scored now. The new leads
 * are streamed: read, scored and counted into the reference's bins a chunk at a time.
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
    const counts = new DriftCounts(reference, true);
    const chunks = await LabelledChunks.open(m, {
      data: options.data,
      requireLabel: false,
      rules: false,
      allColumns: true,
      skipBadRows: options.skipBadRows,
      chunkRows: options.chunkRows,
      phases: options.phases,
    });
    const skippedRows: BadRow[] = [];
    const warnings: string[] = [];
    let withoutEvents = 0;
    try {
      options.phases?.phase('scoring');
      for await (const chunk of chunks.chunks()) {
        skippedRows.push(...chunk.bad);
        warnings.push(...chunk.warnings);
        withoutEvents += chunk.withoutEvents;
        const scored = await m.model.scoreFrame(chunk.frame, { asOf: chunk.asOf, rules: false });
        counts.add(chunk.frame, scored.probability);
        options.phases?.count(counts.rowsAdded + skippedRows.length, chunks.rowCount, 'leads');
        collectGarbage();
      }
    } finally {
      chunks.close();
    }
    const report = counts.report({ threshold: options.threshold });
    const { events } = m.loaded.config;
    const coverage = events && eventCoverageWarning(events.path, report.rows, withoutEvents);
    if (coverage) warnings.push(coverage);
    return { ...report, version: m.model.version, data: chunks.file, referenceFrom, skippedRows, warnings };
  } finally {
    m.model.dispose();
  }
}
