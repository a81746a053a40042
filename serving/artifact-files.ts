import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../features/errors.ts';

/**
 * Where an artifact is: `location` is either the artifact directory itself or a pointer
 * file whose content is the path of one (relative paths resolve from the pointer's
 * directory). A pointer lets a deploy switch versions with one atomic rename.
 */
export async function resolveArtifactDir(location: string): Promise<string> {
  const info = await stat(location).catch(() => {
    throw new InputError(`model: ${location} does not exist`);
  });
  if (info.isDirectory()) return path.resolve(location);
  const target = (await readFile(location, 'utf8')).trim();
  if (target === '') throw new InputError(`model: pointer file ${location} is empty`);
  const dir = path.resolve(path.dirname(location), target);
  const targetInfo = await stat(dir).catch(() => null);
  if (!targetInfo?.isDirectory())
    throw new InputError(`model: pointer file ${location} names ${dir}, which is not a directory`);
  return dir;
}

/** Every regular file under `dir`, keyed by its `/`-separated relative path. */
export async function readArtifactFiles(dir: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const rel of await listFiles(dir)) files.set(rel, new Uint8Array(await readFile(path.join(dir, rel))));
  if (!files.has('manifest.json')) throw new InputError(`model: ${dir} holds no manifest.json`);
  return files;
}

/**
 * A cheap identity of the artifact's content: its path with each file's size and
 * modification time. It changes when a deploy writes a new version in place.
 */
export async function artifactFingerprint(dir: string): Promise<string> {
  const parts = [dir];
  for (const rel of (await listFiles(dir)).sort()) {
    const s = await stat(path.join(dir, rel));
    parts.push(`${rel}:${s.size}:${s.mtimeMs}`);
  }
  return parts.join('|');
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}
