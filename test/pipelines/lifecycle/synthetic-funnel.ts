import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, runCli } from '../../helpers/run-cli.ts';

/**
 * Generates a synthetic funnel (`leadscore data synth`) in `dir` and writes a copy of the
 * project's synthetic-funnel config pointing at it; returns the config's path.
 */
export function syntheticFunnel(dir: string, leads: number, seed = 1): string {
  const out = path.join(dir, 'funnel');
  const synth = runCli(['data', 'synth', '--leads', String(leads), '--out', out, '--seed', String(seed), '--json']);
  if (synth.code !== 0) throw new Error(`data synth failed: ${synth.stderr}`);
  const configs = path.join(repoRoot, 'pipelines/configs');
  const text = readFileSync(path.join(configs, 'synthetic-funnel.yaml'), 'utf8')
    .replaceAll('../../data/synthetic-funnel', out)
    .replace(/^rules: (.*)$/m, (_, rel: string) => `rules: ${path.join(configs, rel)}`);
  const config = path.join(dir, 'funnel.yaml');
  writeFileSync(config, text);
  return config;
}
