/**
 * The shared benchmark splits encoded with the project's own pipeline (the case's dataset
 * config, the leads loader, a feature spec fitted on the training file), for model benchmarks.
 */

import path from 'node:path';
import { encodeFrame } from '../../features/encode-features.ts';
import { featureNames } from '../../features/feature-spec.ts';
import { fitFeatureSpec } from '../../features/fit-feature-spec.ts';
import type { Frame } from '../../features/frame.ts';
import type { Matrix } from '../../features/matrix.ts';
import { loadDatasetConfig } from '../config/load-config.ts';
import { loadLeads } from '../io/load-leads.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SPLITS = path.resolve(ROOT, '../shared/data/benchmarks');

/** Each case's file stem and dataset config. */
export const BENCHMARK_CASES = {
  bank_random: { stem: 'bank-additional-full.csv', config: 'bank-marketing.yaml' },
  bank_time: { stem: 'bank-additional-full.csv', config: 'bank-marketing.yaml' },
  leads_random: { stem: 'Leads.csv', config: 'x-education-leads.yaml' },
} as const;
export type BenchmarkCase = keyof typeof BENCHMARK_CASES;

export interface EncodedSplit {
  train: { x: Matrix; y: Uint8Array };
  test: { x: Matrix; y: Uint8Array };
  features: string[];
}

function label(frame: Frame, file: string): Uint8Array {
  if (!frame.label) throw new Error(`${file}: no label column`);
  return frame.label;
}

/** Train and test matrices of one case (label-leaking columns excluded by its config). */
export async function benchmarkMatrices(name: BenchmarkCase = 'bank_random'): Promise<EncodedSplit> {
  const c = BENCHMARK_CASES[name];
  const loaded = await loadDatasetConfig(path.join(ROOT, 'pipelines/configs', c.config));
  const trainFile = path.join(SPLITS, name, `train-${c.stem}`);
  const testFile = path.join(SPLITS, name, `test-${c.stem}`);
  const train = (await loadLeads(loaded, { data: trainFile })).frame;
  const test = (await loadLeads(loaded, { data: testFile })).frame;
  const spec = fitFeatureSpec(train, loaded.config.columns, { missingValues: loaded.config.missingValues });
  return {
    train: { x: encodeFrame(spec, train), y: label(train, trainFile) },
    test: { x: encodeFrame(spec, test), y: label(test, testFile) },
    features: featureNames(spec),
  };
}
