import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-write.ts';
import { readJsonFile } from '../io/read-json-file.ts';
import { readVersionSummary } from './version-summary.ts';

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
    /** The dataset (config `name`) whose production model this is; absent in records written before datasets had their own. */
    dataset: z.string().optional(),
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

/**
 * File names inside a registry directory. Each dataset (config `name`) has its own
 * production record and pointer, `production.<dataset>.json` and `production.<dataset>`,
 * so promoting or retraining one dataset's model never meets another's champion. The
 * plain `production.json` and `production` follow the first dataset promoted in the
 * registry (the only one, usually), as they did before datasets had their own.
 */
export const productionJson = 'production.json';
/**
 * A plain-text pointer holding the production version's directory name, in the format the
 * serving worker's `--model` reads (a file whose content is an artifact path).
 */
export const productionPointer = 'production';

/** The record and pointer file names of one dataset. */
export function datasetProductionFiles(dataset: string): { json: string; pointer: string } {
  const safe = dataset.replace(/[^\w.-]/g, '_');
  return { json: `production.${safe}.json`, pointer: `production.${safe}` };
}

const emptyRecord = (dataset?: string): ProductionRecord => ({
  ...(dataset === undefined ? {} : { dataset }),
  version: null,
  lineage: [],
  history: [],
});

/**
 * The production record of `dataset` in `registry`, or an empty one when none of its
 * models was promoted yet. Without `dataset`: the plain record (the first dataset's).
 */
export async function readProductionRecord(registry: string, dataset?: string): Promise<ProductionRecord> {
  if (dataset !== undefined) {
    const own = await readJsonFile(
      path.join(registry, datasetProductionFiles(dataset).json),
      ProductionRecord.nullable(),
      { ifMissing: () => null },
    );
    if (own) return own;
  }
  const plain = await readPlainRecord(registry);
  if (plain && (dataset === undefined || plain.dataset === dataset)) return plain;
  return emptyRecord(dataset);
}

/** Every dataset's production record, by dataset. */
export async function readProductionRecords(registry: string): Promise<Map<string, ProductionRecord>> {
  const out = new Map<string, ProductionRecord>();
  const names = await readdir(registry).catch(() => [] as string[]);
  for (const name of names) {
    if (!/^production\..+\.json$/.test(name)) continue;
    const record = await readJsonFile(path.join(registry, name), ProductionRecord);
    if (record.dataset !== undefined) out.set(record.dataset, record);
  }
  const plain = await readPlainRecord(registry);
  if (plain?.dataset !== undefined && !out.has(plain.dataset)) out.set(plain.dataset, plain);
  return out;
}

/** The plain record, its dataset filled in from its version's manifest when it was written without one. */
async function readPlainRecord(registry: string): Promise<ProductionRecord | null> {
  const plain = await readJsonFile(path.join(registry, productionJson), ProductionRecord.nullable(), {
    ifMissing: () => null,
  });
  if (!plain || plain.dataset !== undefined || plain.version === null) return plain;
  const summary = await readVersionSummary(plain.version, path.join(registry, plain.version)).catch(() => null);
  return summary ? { ...plain, dataset: summary.dataset } : plain;
}

/**
 * Writes a dataset's record, then its pointer, each atomically; and the plain record and
 * pointer too when they are that dataset's (or not written yet). Pointers go last: they
 * are what workers follow, and the record must already explain them when they do.
 */
export async function writeProductionRecord(
  registry: string,
  record: ProductionRecord & { dataset: string },
): Promise<void> {
  const files = datasetProductionFiles(record.dataset);
  const json = `${JSON.stringify(ProductionRecord.parse(record), null, 2)}\n`;
  const plain = await readPlainRecord(registry);
  const alsoPlain = plain === null || plain.dataset === record.dataset;
  await writeFileAtomic(path.join(registry, files.json), json);
  if (alsoPlain) await writeFileAtomic(path.join(registry, productionJson), json);
  if (record.version !== null) {
    await writeFileAtomic(path.join(registry, files.pointer), `${record.version}\n`);
    if (alsoPlain) await writeFileAtomic(path.join(registry, productionPointer), `${record.version}\n`);
  }
}
