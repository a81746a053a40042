/**
 * Packs a forest into a few little-endian binary blobs (one per node field, all trees
 * concatenated) and back. Offsets say where each tree's nodes and bitsets start.
 */

import { InputError } from '../../features/errors.ts';
import { BITSET_WORDS, type Tree } from './tree.ts';

type Field = 'feature' | 'threshold' | 'missingLeft' | 'bitset' | 'left' | 'right' | 'value' | 'count';

const FIELDS: { name: Field; type: 'i32' | 'u8' | 'f64' | 'u32' }[] = [
  { name: 'feature', type: 'i32' },
  { name: 'threshold', type: 'u8' },
  { name: 'missingLeft', type: 'u8' },
  { name: 'bitset', type: 'i32' },
  { name: 'left', type: 'i32' },
  { name: 'right', type: 'i32' },
  { name: 'value', type: 'f64' },
  { name: 'count', type: 'u32' },
];

const CONSTRUCTORS = { i32: Int32Array, u8: Uint8Array, f64: Float64Array, u32: Uint32Array } as const;

function bytes(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
}

/** The blobs of `trees`, keyed `trees/<field>.<type>`. */
export function encodeTrees(trees: Tree[]): Record<string, Uint8Array> {
  const nodeOffsets = new Int32Array(trees.length + 1);
  const bitsetOffsets = new Int32Array(trees.length + 1);
  trees.forEach((t, i) => {
    nodeOffsets[i + 1] = nodeOffsets[i]! + t.feature.length;
    bitsetOffsets[i + 1] = bitsetOffsets[i]! + t.bitsets.length;
  });
  const files: Record<string, Uint8Array> = {
    'trees/node-offsets.i32': bytes(nodeOffsets),
    'trees/bitset-offsets.i32': bytes(bitsetOffsets),
  };
  for (const { name, type } of FIELDS) {
    const all = new CONSTRUCTORS[type](nodeOffsets[trees.length]!);
    trees.forEach((t, i) => all.set(t[name], nodeOffsets[i]!));
    files[`trees/${name}.${type}`] = bytes(all);
  }
  const bitsets = new Uint32Array(bitsetOffsets[trees.length]!);
  trees.forEach((t, i) => bitsets.set(t.bitsets, bitsetOffsets[i]!));
  files['trees/bitsets.u32'] = bytes(bitsets);
  return files;
}

function read<T extends keyof typeof CONSTRUCTORS>(files: Record<string, Uint8Array>, key: string, type: T) {
  const blob = files[key];
  if (!blob) throw new InputError(`gradient boosting artifact: missing file ${key}`);
  const size = CONSTRUCTORS[type].BYTES_PER_ELEMENT;
  if (blob.byteLength % size !== 0) throw new InputError(`gradient boosting artifact: ${key} is truncated`);
  // Copy so the typed array is aligned whatever buffer the blob came from.
  const copy = blob.slice().buffer;
  return new CONSTRUCTORS[type](copy) as InstanceType<(typeof CONSTRUCTORS)[T]>;
}

/** Rebuilds the forest from `encodeTrees` blobs, checking sizes and child indices. */
export function decodeTrees(files: Record<string, Uint8Array>, expectedTrees: number, cols: number): Tree[] {
  const nodeOffsets = read(files, 'trees/node-offsets.i32', 'i32');
  const bitsetOffsets = read(files, 'trees/bitset-offsets.i32', 'i32');
  if (nodeOffsets.length !== expectedTrees + 1 || bitsetOffsets.length !== expectedTrees + 1) {
    throw new InputError(
      `gradient boosting artifact: expected ${expectedTrees} trees, found ${nodeOffsets.length - 1}`,
    );
  }
  const columns = Object.fromEntries(
    FIELDS.map(({ name, type }) => [name, read(files, `trees/${name}.${type}`, type)]),
  );
  const bitsets = read(files, 'trees/bitsets.u32', 'u32');
  const nodes = nodeOffsets[expectedTrees]!;
  for (const { name } of FIELDS) {
    if (columns[name]!.length !== nodes)
      throw new InputError(`gradient boosting artifact: trees/${name} has the wrong length`);
  }
  const trees: Tree[] = [];
  for (let i = 0; i < expectedTrees; i++) {
    const a = nodeOffsets[i]!;
    const b = nodeOffsets[i + 1]!;
    const slice = (name: Field) => columns[name]!.slice(a, b);
    const tree = {
      feature: slice('feature') as Int32Array,
      threshold: slice('threshold') as Uint8Array,
      missingLeft: slice('missingLeft') as Uint8Array,
      bitset: slice('bitset') as Int32Array,
      left: slice('left') as Int32Array,
      right: slice('right') as Int32Array,
      value: slice('value') as Float64Array,
      count: slice('count') as Uint32Array,
      bitsets: bitsets.slice(bitsetOffsets[i]!, bitsetOffsets[i + 1]!),
    };
    checkTree(tree, i, cols);
    trees.push(tree);
  }
  return trees;
}

function checkTree(t: Tree, index: number, cols: number): void {
  const n = t.feature.length;
  const sets = t.bitsets.length / BITSET_WORDS;
  for (let k = 0; k < n; k++) {
    const f = t.feature[k]!;
    if (f < 0) continue;
    const bad =
      f >= cols || t.left[k]! <= k || t.left[k]! >= n || t.right[k]! <= k || t.right[k]! >= n || t.bitset[k]! >= sets;
    if (bad) throw new InputError(`gradient boosting artifact: tree ${index} node ${k} is malformed`);
  }
}
