import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../features/errors.ts';

/**
 * Refuses an output file that is one of the run's inputs: the same path after resolving
 * symbolic links, or a hard link to the same file. Checked before anything is read, so a
 * typo never overwrites the leads with their scores.
 */
export function assertNotAnInput(output: string, inputs: readonly (string | undefined)[], flag = '--output'): void {
  const target = resolved(output);
  const targetStat = existsSync(output) ? statSync(output) : undefined;
  for (const input of inputs) {
    if (input === undefined || !existsSync(input)) continue;
    const same = resolved(input) === target || (targetStat !== undefined && sameFile(targetStat, statSync(input)));
    if (same) throw new InputError(`${flag} ${output}: is the input ${input}; write the output to another file`);
  }
}

/**
 * Refuses an output folder that already holds files, unless `force`: writing into it would
 * mix new files with old ones.
 */
export function assertEmptyDir(dir: string, force: boolean, flag: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new InputError(`${flag} ${dir}: is a file, not a folder`);
  const entries = readdirSync(dir);
  if (entries.length > 0 && !force) {
    throw new InputError(
      `${flag} ${dir}: not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}); choose an empty folder, or pass --force to write into it`,
    );
  }
}

/** Refuses an output folder that exists at all (a model artifact is never written over). */
export function assertAbsent(dir: string, flag: string): void {
  if (existsSync(dir)) throw new InputError(`${flag} ${dir}: already exists; choose another ${flag}`);
}

/** The real path of `file`; for a file not yet there, the real path of its folder joined with its name. */
function resolved(file: string): string {
  const abs = path.resolve(file);
  if (existsSync(abs)) return realpathSync(abs);
  const dir = path.dirname(abs);
  return existsSync(dir) ? path.join(realpathSync(dir), path.basename(abs)) : abs;
}

function sameFile(a: { dev: number; ino: number }, b: { dev: number; ino: number }): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}
