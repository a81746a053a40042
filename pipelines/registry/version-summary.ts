import { createHash } from 'node:crypto';
import path from 'node:path';
import { canonicalJson } from '../../features/feature-spec.ts';
import { Manifest } from '../../models/artifact/manifest.ts';
import { readJsonFile } from '../io/read-json-file.ts';

/** One registered version, as `models list` shows it. */
export interface VersionSummary {
  /** The registry's name for it (its directory), e.g. `v3`. */
  version: string;
  dir: string;
  /** The id the training run gave it (manifest `version`). */
  modelId: string;
  createdAt: string;
  dataset: string;
  kind: string;
  /** ROC AUC on the rows held out at train time. */
  testAuc: number | null;
  /**
   * What the held-out metrics were computed on: the input files' fingerprint plus the split
   * settings and seed that chose the held-out rows. Equal identities mean the same rows.
   */
  dataFingerprint: string;
  manifest: Manifest;
}

/** Reads and summarises the manifest of the version stored in `dir`. */
export async function readVersionSummary(version: string, dir: string): Promise<VersionSummary> {
  const m = await readJsonFile(path.join(dir, 'manifest.json'), Manifest, { what: 'not a model manifest' });
  return {
    version,
    dir,
    modelId: m.version,
    createdAt: m.createdAt,
    dataset: m.dataset,
    kind: m.model.kind,
    testAuc: heldOutAuc(m.metrics),
    dataFingerprint: evaluationIdentity(m),
    manifest: m,
  };
}

/** `metrics.model.auc` of the stored model-vs-rules comparison, when present. */
function heldOutAuc(metrics: Record<string, unknown>): number | null {
  const model = metrics['model'];
  const auc = model !== null && typeof model === 'object' ? (model as Record<string, unknown>)['auc'] : undefined;
  return typeof auc === 'number' && Number.isFinite(auc) ? auc : null;
}

/** Input fingerprint (12 hex digits), then a hash of how the held-out rows were chosen. */
function evaluationIdentity(m: Manifest): string {
  const training = m.config['training'];
  const split =
    training !== null && typeof training === 'object' ? (training as Record<string, unknown>)['split'] : undefined;
  const how = canonicalJson({ split: split ?? null, seed: m.seed, evaluatedOn: m.metrics['evaluatedOn'] ?? null });
  return `${m.fingerprint.slice(0, 12)}-${createHash('sha256').update(how).digest('hex').slice(0, 8)}`;
}
