import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MANIFEST_FORMAT, type Manifest } from '../../../models/artifact/manifest.ts';

/**
 * Writes a minimal artifact directory: a valid manifest whose stored held-out AUC is
 * `testAuc` on input files fingerprinted `fingerprint` (same fingerprint, same held-out rows).
 */
export function fakeArtifact(
  root: string,
  name: string,
  testAuc: number,
  fingerprint = 'a'.repeat(64),
  dataset = 'demo',
): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    version: `demo-${name}`,
    createdAt: '2026-01-01T00:00:00.000Z',
    dataset,
    inputs: [],
    fingerprint,
    config: { training: { split: { by: 'time' } } },
    featureSpecHash: '0'.repeat(16),
    featureCount: 3,
    model: { kind: 'logistic', options: {} },
    calibration: 'none',
    backend: 'cpu',
    seed: 7,
    tiers: { policy: 'capacity', names: ['hot', 'cold'], thresholds: [0.5] },
    rules: null,
    metrics: { evaluatedOn: 'test', model: { auc: testAuc } },
    files: {},
  };
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}
