import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/leadscore.js');

/** A trained model on generated funnel data: the dataset config and the artifact directory. */
export interface TrainedFunnel {
  config: string;
  model: string;
}

/**
 * Generates a synthetic B2B funnel of `leads` leads in `dir` (`leadscore data synth`) and
 * trains a model on it (`leadscore train`), as a user would: a real artifact with event
 * features, calibration, tiers and the shipped rules. For bench:serving and the serving tests.
 */
export async function trainFunnelModel(dir: string, leads: number, seed = 1): Promise<TrainedFunnel> {
  const data = path.join(dir, 'funnel');
  await run(process.execPath, [bin, 'data', 'synth', '--leads', String(leads), '--seed', String(seed), '--out', data]);
  const source = path.join(root, 'pipelines/configs/synthetic-funnel.yaml');
  // The shipped config reads data/synthetic-funnel/; point it at the generated copy instead.
  const text = readFileSync(source, 'utf8')
    .replaceAll('../../data/synthetic-funnel/', `${data}/`)
    .replace(/^rules: (.+)$/m, (_, rules: string) => `rules: ${path.join(path.dirname(source), rules)}`);
  const config = path.join(dir, 'funnel.yaml');
  writeFileSync(config, text);
  const model = path.join(dir, 'model');
  await run(process.execPath, [bin, 'train', '--config', config, '--out', model], { maxBuffer: 16 * 1024 * 1024 });
  return { config, model };
}
