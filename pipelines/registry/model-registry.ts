import { cp, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../features/errors.ts';
import { PromotionRefusedError } from './promotion-refused-error.ts';
import { comparePromotion, type ScoreOnSameData } from './promotion-check.ts';
import {
  readProductionRecord,
  readProductionRecords,
  writeProductionRecord,
  type HistoryEntry,
  type ProductionRecord,
} from './production-record.ts';
import { readVersionSummary, type VersionSummary } from './version-summary.ts';
import { defaultRegistryDir } from './default-registry-dir.ts';

export { defaultRegistryDir };

/** A version name made by the registry: `v` and a number. */
const numbered = /^v(\d+)$/;

export interface PromoteOptions {
  /** Promote even when the candidate scores worse or cannot be compared. Default false. */
  force?: boolean;
  /** Re-score both models on the same data; absent: compare the test metrics stored in their manifests. */
  rescore?: ScoreOnSameData;
  /** Time stamped into the history. Default now. */
  now?: Date;
  /**
   * Called with the new production version and its directory after the checks and before
   * the pointer changes (publishing it to Redis); if it throws, nothing changes. Default none.
   */
  beforeSwitch?: SwitchHook;
}

/** See `PromoteOptions.beforeSwitch`. */
export type SwitchHook = (version: string, dir: string) => Promise<void>;

export interface PromoteResult {
  version: string;
  previous: string | null;
  entry: HistoryEntry;
  /** The refusal that --force overrode, if any. */
  overridden: string | null;
}

/**
 * A directory of model versions (each a sub-directory holding an artifact with
 * manifest.json) plus the production record and pointer. Promotion and rollback change
 * the pointer atomically; nothing here deletes a version.
 */
export class ModelRegistry {
  readonly dir: string;

  constructor(dir: string = defaultRegistryDir) {
    this.dir = path.resolve(dir);
  }

  /** Every readable version, oldest first (by creation time, then numbered versions by number, then by name). */
  async list(): Promise<VersionSummary[]> {
    return (await this.inventory()).versions;
  }

  /**
   * The readable versions (as `list`) and the directories whose manifest cannot be read,
   * with why: one broken version must not hide the others.
   */
  async inventory(): Promise<{ versions: VersionSummary[]; unreadable: { version: string; reason: string }[] }> {
    const entries = await readdir(this.dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [];
      throw err;
    });
    const versions: VersionSummary[] = [];
    const unreadable: { version: string; reason: string }[] = [];
    for (const e of entries) {
      // Hidden names and `.tmp-` folders are copies or writes in progress, not versions.
      if (!e.isDirectory() || e.name.startsWith('.') || e.name.includes('.tmp-')) continue;
      const dir = path.join(this.dir, e.name);
      if (!(await exists(path.join(dir, 'manifest.json')))) continue;
      try {
        versions.push(await readVersionSummary(e.name, dir));
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        unreadable.push({ version: e.name, reason: err.message });
      }
    }
    versions.sort((a, b) =>
      a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : compareVersions(a.version, b.version),
    );
    return { versions, unreadable };
  }

  /** One version's summary; InputError naming the registry and the versions it has when unknown. */
  async show(version: string): Promise<VersionSummary> {
    const dir = path.join(this.dir, version);
    if (version.includes('/') || version.includes('\\') || !(await exists(path.join(dir, 'manifest.json')))) {
      const known = (await this.list()).map((v) => v.version);
      const list = known.length > 0 ? `versions: ${known.join(', ')}` : 'it holds no versions';
      throw new InputError(`model version "${version}" not found in ${this.dir} (${list})`);
    }
    return readVersionSummary(version, dir);
  }

  /**
   * The production record (version, lineage, history) of `dataset` (a config `name`);
   * without one, the first dataset promoted in the registry (the only one, usually).
   */
  production(dataset?: string): Promise<ProductionRecord> {
    return readProductionRecord(this.dir, dataset);
  }

  /** Every dataset's production record, by dataset. */
  productions(): Promise<Map<string, ProductionRecord>> {
    return readProductionRecords(this.dir);
  }

  /** The next free numbered version name: one past the highest `vN`. */
  async nextVersion(): Promise<string> {
    let max = 0;
    for (const v of await this.list()) max = Math.max(max, Number(numbered.exec(v.version)?.[1] ?? 0));
    return `v${max + 1}`;
  }

  /**
   * Copies an artifact directory into the registry as a new version (default the next
   * `vN`). The copy goes to a hidden temporary name first, so a half-copied version is
   * never listed.
   */
  async add(artifactDir: string, version?: string): Promise<VersionSummary> {
    if (!(await exists(path.join(artifactDir, 'manifest.json'))))
      throw new InputError(`${artifactDir}: not a model artifact (no manifest.json)`);
    await mkdir(this.dir, { recursive: true });
    const name = version ?? (await this.nextVersion());
    if (!/^[\w.-]+$/.test(name) || name.startsWith('.'))
      throw new InputError(`model version "${name}": use letters, digits, dot, dash or underscore`);
    const target = path.join(this.dir, name);
    if (await exists(target)) throw new InputError(`model version "${name}" already exists in ${this.dir}`);
    const temp = path.join(this.dir, `.incoming-${name}-${process.pid}`);
    await rm(temp, { recursive: true, force: true });
    await cp(artifactDir, temp, { recursive: true });
    await rename(temp, target);
    return readVersionSummary(name, target);
  }

  /**
   * Makes `version` the production model. Refuses (PromotionRefusedError) when it scores
   * worse than the current one on the same evaluation data, or when the two cannot be
   * compared, unless `force`.
   */
  async promote(version: string, options: PromoteOptions = {}): Promise<PromoteResult> {
    const candidate = await this.show(version);
    // Its own dataset's production model: never another dataset's.
    const dataset = candidate.dataset;
    const record = await this.production(dataset);
    const previous = record.version;
    if (previous === version) throw new InputError(`model version "${version}" is already in production`);
    let comparison = null;
    let overridden: string | null = null;
    if (previous !== null) {
      const champion = await this.show(previous);
      const check = await comparePromotion(candidate, champion, options.rescore);
      comparison = check.comparison;
      if (check.refusal) {
        if (!options.force)
          throw new PromotionRefusedError(`${check.refusal}; use --force to promote anyway`, comparison);
        overridden = check.refusal;
      }
    }
    const entry: HistoryEntry = {
      action: 'promote',
      version,
      previous,
      at: (options.now ?? new Date()).toISOString(),
      forced: overridden !== null,
      comparison,
    };
    await options.beforeSwitch?.(version, candidate.dir);
    await writeProductionRecord(this.dir, {
      dataset,
      version,
      lineage: [...record.lineage, version],
      history: [...record.history, entry],
    });
    return { version, previous, entry, overridden };
  }

  /**
   * Puts back the version that was in production before the current one, for `dataset`
   * (needed when several datasets have a production model here).
   */
  async rollback(options: { now?: Date; beforeSwitch?: SwitchHook; dataset?: string } = {}): Promise<HistoryEntry> {
    const dataset = options.dataset ?? (await this.onlyDataset());
    const record = await this.production(dataset);
    if (record.version === null) throw new InputError(`nothing to roll back: no model was promoted in ${this.dir}`);
    const lineage = record.lineage.slice(0, -1);
    const back = lineage[lineage.length - 1];
    if (back === undefined)
      throw new InputError(`nothing to roll back to: ${record.version} is the first production model in ${this.dir}`);
    const target = await this.show(back);
    const entry: HistoryEntry = {
      action: 'rollback',
      version: back,
      previous: record.version,
      at: (options.now ?? new Date()).toISOString(),
      forced: false,
      comparison: null,
    };
    await options.beforeSwitch?.(back, target.dir);
    await writeProductionRecord(this.dir, {
      dataset: record.dataset ?? target.dataset,
      version: back,
      lineage,
      history: [...record.history, entry],
    });
    return entry;
  }

  /** The dataset of the registry's production models when there is one; InputError naming them when several. */
  private async onlyDataset(): Promise<string | undefined> {
    const datasets = [...(await this.productions()).keys()];
    if (datasets.length > 1)
      throw new InputError(
        `${this.dir} holds production models of ${datasets.length} datasets (${datasets.join(', ')}): give --dataset`,
      );
    return datasets[0];
  }
}

function compareVersions(a: string, b: string): number {
  const na = numbered.exec(a)?.[1];
  const nb = numbered.exec(b)?.[1];
  if (na !== undefined && nb !== undefined) return Number(na) - Number(nb);
  if (na !== undefined) return -1;
  if (nb !== undefined) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}
