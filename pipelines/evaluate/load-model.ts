import path from 'node:path';
import { LeadModel } from '../../models/lead-model.ts';
import type { LoadedConfig } from '../config/load-config.ts';
import { parseWith } from '../config/load-config.ts';
import { DatasetConfig } from '../config/dataset-config.ts';
import { resolvePostgresSources } from '../config/postgres-sources.ts';
import { readArtifactDir } from '../io/artifact-dir.ts';

/** A model version read from its directory, with the dataset config it was trained with. */
export interface LoadedModel {
  dir: string;
  model: LeadModel;
  loaded: LoadedConfig;
}

/** Reads and checks a model directory (every part, see LeadModel.fromFiles). */
export async function loadModelDir(dir: string): Promise<LoadedModel> {
  const model = await LeadModel.fromFiles(await readArtifactDir(dir), dir);
  const file = path.join(path.resolve(dir), 'manifest.json');
  const config = parseWith(DatasetConfig, model.manifest.config, `${file} (config)`);
  resolvePostgresSources(config);
  return { dir: path.resolve(dir), model, loaded: { file, config } };
}
