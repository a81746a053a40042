import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-write.ts';
import { readJsonFile } from '../io/read-json-file.ts';

/** The registry's record of the production model, kept in `production.json`. */

/** How a promotion compared the candidate with the model it replaced. */
export const PromotionComparison = z
  .object({
    /** `rescored`: both models scored on the same data now; `stored`: test metrics kept in the manifests, on the same data fingerprint. */
    basis: z.enum(['rescored', 'stored']),
    candidateAuc: z.number(),
    championAuc: z.number(),
    /** What the two were compared on: a data file or a data fingerprint. */
    data: z.string(),
  })
  .strict();
export type PromotionComparison = z.infer<typeof PromotionComparison>;

export const HistoryEntry = z
  .object({
    action: z.enum(['promote', 'rollback']),
    /** The version in production after this step. */
    version: z.string(),
    /** The version in production before it (null for the first promotion). */
    previous: z.string().nullable(),
    at: z.string(),
    /** Promoted with --force over a refusal. */
    forced: z.boolean().default(false),
    comparison: PromotionComparison.nullable().default(null),
  })
  .strict();
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const ProductionRecord = z
  .object({
    /** The version in production; null before the first promotion. */
    version: z.string().nullable(),
    /**
     * Versions promoted and not rolled back, oldest first; the last is `version`. A rollback
     * drops the last and goes back to the one before it.
     */
    lineage: z.array(z.string()),
    /** Every promotion and rollback, oldest first (an audit trail; rollbacks never erase it). */
    history: z.array(HistoryEntry),
  })
  .strict();
export type ProductionRecord = z.infer<typeof ProductionRecord>;

/** File names inside a registry directory. */
export const productionJson = 'production.json';
/**
 * A plain-text pointer holding the production version's directory name, in the format the
 * serving worker's `--model` reads (a file whose content is an artifact path).
 */
export const productionPointer = 'production';

/** The record in `registry`, or an empty one when nothing was promoted yet. */
export async function readProductionRecord(registry: string): Promise<ProductionRecord> {
  return readJsonFile(path.join(registry, productionJson), ProductionRecord, { ifMissing: () => ({ version: null, lineage: [], history: [] }) });
}

/**
 * Writes the record, then the plain pointer, each atomically. The pointer is written last:
 * it is what workers follow, and the record must already explain it when they do.
 */
export async function writeProductionRecord(registry: string, record: ProductionRecord): Promise<void> {
  await writeFileAtomic(path.join(registry, productionJson), `${JSON.stringify(ProductionRecord.parse(record), null, 2)}\n`);
  if (record.version !== null) await writeFileAtomic(path.join(registry, productionPointer), `${record.version}\n`);
}
