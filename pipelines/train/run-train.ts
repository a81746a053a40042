import path from 'node:path';
import type { FitOptions } from '../../models/scorer.ts';
import type { BackendChoice } from '../../models/tf-backend.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import { writeArtifactDir } from '../io/artifact-dir.ts';
import { assertAbsent } from '../io/output-path.ts';
import type { BadRow } from '../io/load-leads.ts';
import type { Phases } from '../io/phases.ts';
import { fitLeadModel, type FittedLeadModel } from './fit-lead-model.ts';
import { versionInputs } from './model-version.ts';
import { prepareData, type PreparedData } from './prepare-data.ts';

/** Where model versions go when no --out is given. */
export const defaultRegistry = path.join('data', 'models');

export interface RunTrainOptions {
  data?: string;
  /** Artifact directory. Default: `<registry>/<version>`. */
  out?: string;
  /** Registry folder for the default artifact path. Default data/models. */
  registry?: string;
  backend?: BackendChoice;
  skipBadRows?: boolean;
  onProgress?: FitOptions['onProgress'];
  /** Train even when the rules name columns or event types the data lacks. Default false. */
  allowUnknownRuleColumns?: boolean;
  /** The clock. Default: now. */
  now?: () => Date;
  /** Told the phases: reading, features, fitting, calibrating, evaluating, writing. */
  phases?: Phases;
  /** Extra files to put in the artifact, computed from the fitted run (report, drift reference). */
  extraFiles?: (fitted: FittedLeadModel, data: PreparedData) => Promise<Record<string, Uint8Array>>;
}

export interface TrainResult extends FittedLeadModel {
  dir: string;
  skipped: BadRow[];
  warnings: string[];
  left?: PreparedData['left'];
}

/** Trains and evaluates a model version from a dataset config and writes its artifact directory. */
export async function runTrain(loaded: LoadedConfig, options: RunTrainOptions = {}): Promise<TrainResult> {
  // Before any data is read: a refusal after an hour of training helps nobody.
  if (options.out !== undefined) assertAbsent(options.out, '--out');
  const { phases } = options;
  const data = await prepareData(loaded, { data: options.data, skipBadRows: options.skipBadRows, phases });
  const now = (options.now ?? (() => new Date()))();
  const { inputs, fingerprint, version } = await versionInputs(loaded.config.name, data, now);
  const fitted = await fitLeadModel(loaded, data, {
    backend: options.backend,
    onProgress: options.onProgress,
    allowUnknownRuleColumns: options.allowUnknownRuleColumns,
    version,
    createdAt: now.toISOString(),
    inputs,
    fingerprint,
    phases,
  });
  const dir = options.out ?? path.join(options.registry ?? defaultRegistry, version);
  phases?.phase('writing');
  const extra = options.extraFiles ? await options.extraFiles(fitted, data) : {};
  await writeArtifactDir(dir, await fitted.model.toFiles(extra));
  return { ...fitted, dir: path.resolve(dir), skipped: data.skipped, warnings: data.warnings, left: data.left };
}
