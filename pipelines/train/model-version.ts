import { createHash } from 'node:crypto';
import { fileFingerprint } from '../io/artifact-dir.ts';
import type { PreparedData } from './prepare-data.ts';

/** A run's input files with their checksums, their joint fingerprint, and the version name they give. */
export interface VersionedInputs {
  inputs: (PreparedData['inputs'][number] & { sha256: string; bytes: number })[];
  /** sha256 over every input's role and checksum. */
  fingerprint: string;
  /** `<config name>-<YYYYMMDD-HHMMSS>-<first six of the fingerprint>`. */
  version: string;
}

/** Fingerprints the input files of a run and names the model version it trains. */
export async function versionInputs(name: string, data: PreparedData, now: Date): Promise<VersionedInputs> {
  const inputs = await Promise.all(data.inputs.map(async (i) => ({ ...i, ...(await fileFingerprint(i.path)) })));
  const fingerprint = createHash('sha256')
    .update(inputs.map((i) => `${i.role}:${i.sha256}`).join('\n'))
    .digest('hex');
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return { inputs, fingerprint, version: `${name}-${stamp}-${fingerprint.slice(0, 6)}` };
}
