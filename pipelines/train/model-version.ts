import { createHash } from 'node:crypto';
import { fileFingerprint } from '../io/artifact-dir.ts';
import { globFiles } from '../io/glob-files.ts';
import type { Manifest } from '../../models/artifact/manifest.ts';
import type { PreparedData } from './prepare-data.ts';

/** One input file of a run, with its checksum. */
export type FingerprintedInput = { role: string; path: string; sha256: string; bytes: number };

/** A run's input files with their checksums, their joint fingerprint, and the version name they give. */
export interface VersionedInputs {
  /** Every file read: a `glob` input stands for each file it matched, in name order. */
  inputs: FingerprintedInput[];
  /** sha256 over every input's role and checksum. */
  fingerprint: string;
  /** `<config name>-<YYYYMMDD-HHMMSS>-<first six of the fingerprint>`. */
  version: string;
}

/** Fingerprints the input files of a run and names the model version it trains. */
export async function versionInputs(name: string, data: PreparedData, now: Date): Promise<VersionedInputs> {
  const files = (
    await Promise.all(
      data.inputs.map(async (i) =>
        i.glob
          ? (await globFiles(i.path)).map((file) => ({ role: i.role, path: file }))
          : [{ role: i.role, path: i.path }],
      ),
    )
  ).flat();
  const inputs = await Promise.all(files.map(async (i) => ({ ...i, ...(await fileFingerprint(i.path)) })));
  const fingerprint = createHash('sha256')
    .update(inputs.map((i) => `${i.role}:${i.sha256}`).join('\n'))
    .digest('hex');
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return { inputs, fingerprint, version: `${name}-${stamp}-${fingerprint.slice(0, 6)}` };
}

/**
 * The one leads file a model was trained on, as its manifest records it; undefined when
 * it was several (a `glob: true` pattern: the config's pattern reads them all again).
 */
export function trainedLeadsFile(manifest: Pick<Manifest, 'inputs'>): string | undefined {
  const leads = manifest.inputs.filter((i) => i.role === 'leads');
  return leads.length === 1 ? leads[0]!.path : undefined;
}
