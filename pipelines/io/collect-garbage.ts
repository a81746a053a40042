import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | undefined;

/**
 * A full garbage collection, for a batch command between two chunks: each chunk's objects
 * are garbage then, but V8 lets its old generation grow to several chunks' worth before it
 * collects, so that without this the peak memory of a streamed command would still grow with
 * the number of chunks. Costs a few milliseconds per chunk with the small live set of a
 * streamed command.
 */
export function collectGarbage(): void {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
}
