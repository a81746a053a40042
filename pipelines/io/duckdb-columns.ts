import type { DuckDBDataChunk } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';

/** The values of a non-null INTEGER column of a chunk (a copy: the bindings copy a vector's data out). */
export function int32Column(chunk: DuckDBDataChunk, column: number, rows: number): Int32Array {
  const bytes = duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk.chunk, column), rows * 4);
  return new Int32Array(bytes.buffer, bytes.byteOffset, rows);
}

/** The values of a non-null DOUBLE column of a chunk (a copy, as int32Column). */
export function float64Column(chunk: DuckDBDataChunk, column: number, rows: number): Float64Array {
  const bytes = duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk.chunk, column), rows * 8);
  return new Float64Array(bytes.buffer, bytes.byteOffset, rows);
}
