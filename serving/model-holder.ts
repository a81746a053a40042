import { InputError, LifecycleError } from '../features/errors.ts';
import { artifactFingerprint, readArtifactFiles, resolveArtifactDir } from './artifact-files.ts';
import type { Logger } from './logger.ts';
import { readProductionPointer } from './production-pointer.ts';
import type { RedisClient } from './redis-connection.ts';
import { inputSchemaChanges } from '../models/input-schema.ts';
import type { InputSchema, ModelLoader, ServableModel } from './servable-model.ts';

/** Where the served artifact comes from, and how often to look for a new one. */
export interface ModelSourceOptions {
  /** An artifact directory or a pointer file naming one (see `resolveArtifactDir`). */
  model: string;
  /**
   * A Redis key holding an artifact path. When set and non-empty it wins over `model`,
   * so a model registry can promote a version to every worker at once. Default none.
   */
  modelKey?: string;
  /** How often (ms) to look for a changed artifact; 0 turns hot reload off. Default 2000. */
  reloadIntervalMs?: number;
  /**
   * Take a new artifact whose input schema (attribute columns, event types) differs from
   * the first one served. Default false: such an artifact, another dataset's model promoted
   * by mistake say, is refused and the current model keeps serving.
   */
  allowSchemaChange?: boolean;
  /**
   * Serve a model whose rules read columns or event types its training data lacked (it was
   * trained with `--allow-unknown-rule-columns`). Default false: such a model is refused,
   * at start (the worker does not start) and on reload (the current model keeps serving).
   */
  allowUnknownRuleColumns?: boolean;
}

interface Loaded {
  model: ServableModel;
  fingerprint: string;
  users: number;
  retired: boolean;
}

/**
 * Holds the served model and swaps in a new one when the artifact changes. A candidate
 * is loaded, validated by the loader and smoke-scored before the swap; a broken one is
 * rejected (logged, counted) and the old model keeps serving. The old model is disposed
 * once the model calls already using it have finished.
 */
export class ModelHolder {
  private loaded: Loaded | undefined;
  private rejected: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  /** The input schema of the first model served, which a reload must keep. */
  private startSchema: InputSchema | undefined;

  constructor(
    private readonly loader: ModelLoader,
    private readonly source: ModelSourceOptions,
    private readonly log: Logger,
    private readonly redis?: RedisClient,
    /** Called after each reload attempt. */
    private readonly onReload?: (outcome: 'loaded' | 'rejected', model: ServableModel) => void,
  ) {}

  /** Loads the first model (a broken one throws InputError) and starts watching. */
  async start(): Promise<ServableModel> {
    const dir = await this.currentDir();
    const fingerprint = await artifactFingerprint(dir);
    const model = await this.loadChecked(dir).catch((err: unknown) => {
      throw new InputError(`model: cannot load ${dir}: ${err instanceof Error ? err.message : String(err)}`);
    });
    this.checkRuleNames(model, dir);
    this.loaded = { model, fingerprint, users: 0, retired: false };
    this.startSchema = model.inputSchema;
    this.log.info({ modelVersion: model.version, dir }, 'model loaded');
    const every = this.source.reloadIntervalMs ?? 2000;
    if (every > 0) {
      this.timer = setInterval(() => void this.checkForUpdate(), every);
      this.timer.unref();
    }
    return model;
  }

  /** The model being served. */
  get model(): ServableModel {
    if (!this.loaded) throw new LifecycleError('ModelHolder: start() has not finished');
    return this.loaded.model;
  }

  /** Runs `fn` with the current model, which is not disposed until `fn` settles. */
  async use<T>(fn: (model: ServableModel) => Promise<T>): Promise<T> {
    const held = this.loaded;
    if (!held) throw new LifecycleError('ModelHolder: start() has not finished');
    held.users++;
    try {
      return await fn(held.model);
    } finally {
      held.users--;
      if (held.retired && held.users === 0) held.model.dispose();
    }
  }

  /**
   * Looks once for a changed artifact and swaps it in if it passes its checks.
   * Resolves to what happened. Concurrent calls share one look.
   */
  async checkForUpdate(): Promise<'unchanged' | 'loaded' | 'rejected'> {
    let outcome: 'unchanged' | 'loaded' | 'rejected' = 'unchanged';
    this.checking ??= (async () => {
      outcome = await this.check();
    })().finally(() => (this.checking = undefined));
    await this.checking;
    return outcome;
  }

  /** Stops watching and disposes the model (after calls in flight). */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const held = this.loaded;
    if (held && !held.retired) {
      held.retired = true;
      if (held.users === 0) held.model.dispose();
    }
  }

  private async check(): Promise<'unchanged' | 'loaded' | 'rejected'> {
    const current = this.loaded;
    if (!current) return 'unchanged';
    let fingerprint = '';
    try {
      const dir = await this.currentDir();
      fingerprint = await artifactFingerprint(dir);
      if (fingerprint === current.fingerprint || fingerprint === this.rejected) return 'unchanged';
      const model = await this.loadChecked(dir);
      this.checkSchema(model, dir);
      this.checkRuleNames(model, dir);
      this.loaded = { model, fingerprint, users: 0, retired: false };
      current.retired = true;
      if (current.users === 0) current.model.dispose();
      this.rejected = undefined;
      this.log.info({ modelVersion: model.version, previousVersion: current.model.version, dir }, 'model reloaded');
      this.onReload?.('loaded', model);
      return 'loaded';
    } catch (err) {
      // Remember the broken candidate so it is not reloaded every interval; a new write changes the fingerprint.
      if (fingerprint) this.rejected = fingerprint;
      this.log.error(
        { err: err instanceof Error ? err.message : String(err), modelVersion: current.model.version },
        'model reload rejected; keeping the current model',
      );
      this.onReload?.('rejected', current.model);
      return 'rejected';
    }
  }

  /** Refuses (and disposes) a candidate that reads other inputs than the first model, unless allowed. */
  private checkSchema(model: ServableModel, dir: string): void {
    if (this.source.allowSchemaChange || !this.startSchema || !model.inputSchema) return;
    const changes = inputSchemaChanges(this.startSchema, model.inputSchema);
    if (changes.length === 0) return;
    model.dispose();
    throw new InputError(
      `model ${model.version} (${dir}) reads other inputs than the model this worker started with: ${changes.join('; ')} (start the worker with --allow-schema-change to take it)`,
    );
  }

  /** Refuses (and disposes) a model whose rules name what its training data lacked, unless allowed. */
  private checkRuleNames(model: ServableModel, dir: string): void {
    const unknown = model.unknownRuleNames;
    if (this.source.allowUnknownRuleColumns || !unknown) return;
    const names = [
      ...unknown.columns.map((c) => `column ${JSON.stringify(c)}`),
      ...unknown.eventTypes.map((t) => `event type ${JSON.stringify(t)}`),
    ];
    if (names.length === 0) return;
    model.dispose();
    throw new InputError(
      `model ${model.version} (${dir}): its rules name ${names.join(', ')}, which its training data lacked, so its rule scores would be wrong (retrain with the names fixed, or start the worker with --allow-unknown-rule-columns)`,
    );
  }

  private async currentDir(): Promise<string> {
    if (this.source.modelKey && this.redis) {
      const fromKey = await readProductionPointer(this.redis, this.source.modelKey);
      if (fromKey) return resolveArtifactDir(fromKey);
    }
    return resolveArtifactDir(this.source.model);
  }

  /** Loads an artifact and scores one empty lead with it: a model that cannot is rejected. */
  private async loadChecked(dir: string): Promise<ServableModel> {
    const model = await this.loader(await readArtifactFiles(dir));
    try {
      const [r] = await model.scoreLeads([{ leadId: 'smoke-test', attributes: {}, events: [], asOf: Date.now() }]);
      if (
        !r ||
        !Number.isFinite(r.probability) ||
        r.probability < 0 ||
        r.probability > 1 ||
        !model.tierNames.includes(r.tier)
      ) {
        throw new InputError(`smoke test scored ${JSON.stringify(r && { probability: r.probability, tier: r.tier })}`);
      }
      return model;
    } catch (err) {
      model.dispose();
      throw err;
    }
  }
}
