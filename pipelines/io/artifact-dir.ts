import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../features/errors.ts';

/**
 * Writes an artifact's files into `dir` atomically: everything goes into a temporary
 * sibling folder which is renamed into place, so a reader never sees half a model.
 * Refuses to overwrite an existing directory.
 */
export async function writeArtifactDir(dir: string, files: ReadonlyMap<string, Uint8Array>): Promise<void> {
  const target = path.resolve(dir);
  if (existsSync(target)) throw new InputError(`${dir}: already exists; choose another --out`);
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  try {
    for (const [name, bytes] of files) {
      const file = path.join(tmp, name);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, bytes);
    }
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** Reads every file under an artifact directory into a map keyed by relative path (with `/`). */
export async function readArtifactDir(dir: string): Promise<Map<string, Uint8Array>> {
  const root = path.resolve(dir);
  if (!existsSync(root)) throw new InputError(`${dir}: model directory not found`);
  if (!(await stat(root)).isDirectory()) throw new InputError(`${dir}: not a directory`);
  const files = new Map<string, Uint8Array>();
  const walk = async (sub: string) => {
    for (const entry of await readdir(path.join(root, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(rel);
      else if (entry.isFile()) files.set(rel, new Uint8Array(await readFile(path.join(root, rel))));
    }
  };
  await walk('');
  return files;
}

/** The sha256 (hex) and size of a file, streamed. */
export async function fileFingerprint(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  await new Promise<void>((resolve, reject) => {
    createReadStream(file)
      .on('data', (chunk) => {
        hash.update(chunk);
        bytes += chunk.length;
      })
      .on('end', resolve)
      .on('error', reject);
  });
  return { sha256: hash.digest('hex'), bytes };
}
