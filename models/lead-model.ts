import { createHash } from 'node:crypto';
import YAML from 'yaml';
import { encodeFrame, encodeLeadInto, featureCount, type EncodeContext } from '../features/encode-features.ts';
import { InputError } from '../features/errors.ts';
import { formatZodError } from '../features/zod-error.ts';
import { eventAggregates, eventAggregatesInto, type AggregateValues } from '../features/event-aggregates.ts';
import type { TimedEvent } from '../features/events.ts';
import { canonicalJson, parseFeatureSpec, specHash, type FeatureSpec } from '../features/feature-spec.ts';
import { cellAt, type Frame, type LeadAttributes } from '../features/frame.ts';
import type { Matrix } from '../features/matrix.ts';
import { Manifest } from './artifact/manifest.ts';
import { calibratorFromJson, type Calibrator } from './calibration/calibrator.ts';
import { inputSchemaOf, type InputSchema } from './input-schema.ts';
import { reasonLayout, topLinearReasonsAt, topReasonsAt, type Reason, type ReasonLayout } from './reasons.ts';
import { compileRules } from './rules/compile-rules.ts';
import { parseRulesFile } from './rules/parse-rules-file.ts';
import type { EventsByLead, RuleEngine } from './rules/rule-engine.ts';
import type { Scorer, ScorerArtifact } from './scorer.ts';
import { artifactInputColumns, scorerFromArtifact } from './scorer-registry.ts';
import { tierIndexOf, type TierThresholds } from './tier-thresholds.ts';

export type { Reason };

/**
 * One lead to score online: its attributes, its events (any order; each belongs to this lead,
 * so it need not carry the lead's id) and the time to score it at.
 */
export interface LeadInput {
  leadId: string;
  attributes: LeadAttributes;
  events: readonly TimedEvent[];
  asOf: number;
}

/** What a scored lead gets back. */
export interface LeadScoreResult {
  leadId: string;
  probability: number;
  /** The probability as 0-100. */
  score: number;
  tier: string;
  ruleScore: number | null;
  ruleTier: string | null;
  reasons: Reason[];
  modelVersion: string;
}

/** Scores of a whole frame, one entry per row. */
export interface FrameScoring {
  probability: Float32Array;
  tier: string[];
  ruleScore: Float64Array | null;
  ruleTier: string[] | null;
  /** Every row's reasons (when asked for), worded on first use. */
  reasons?: Reason[][];
  /** One row's reasons (when asked for): a row at a time, so that a batch holds few of them at once. */
  reasonsOf?: (row: number) => Reason[];
}

/** The rules file shipped with a model: its text and the compiled engine. */
export interface ShippedRules {
  name: string;
  text: string;
  engine: RuleEngine;
}

/** The parts of a trained model version. */
export interface LeadModelParts {
  manifest: Manifest;
  spec: FeatureSpec;
  scorer: Scorer;
  calibrator: Calibrator | null;
  rules: ShippedRules | null;
}

const F = {
  manifest: 'manifest.json',
  spec: 'feature-spec.json',
  scorer: 'model/scorer.json',
  calibrator: 'calibrator.json',
  rules: 'rules.yaml',
} as const;

const NO_AGGREGATES: AggregateValues = Object.freeze({});

const text = new TextEncoder();
const untext = new TextDecoder();
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** The manifest's own hash (see Manifest.selfSha256): of its canonical JSON, so formatting and key order do not change it. */
const manifestHash = (body: Record<string, unknown>) => sha256(text.encode(canonicalJson(body)));

/**
 * Compiles a shipped rules file's text (YAML or JSON). `caseSensitiveColumns`: the columns
 * the dataset config declares case-sensitive (the artifact's spec records them).
 */
export function compileRulesText(
  name: string,
  source: string,
  caseSensitiveColumns: ReadonlySet<string> = new Set(),
): ShippedRules {
  return {
    name,
    text: source,
    engine: compileRules(parseRulesFile(YAML.parse(source), name), { caseSensitiveColumns }),
  };
}

/**
 * A trained model version: feature spec, scorer, calibrator, tier thresholds and the rules
 * it is compared with. Scores frames (batch) and single leads (online) the same way, and
 * round-trips through a map of files (the artifact directory) checked part by part.
 */
export class LeadModel {
  readonly manifest: Manifest;
  readonly spec: FeatureSpec;
  readonly scorer: Scorer;
  readonly calibrator: Calibrator | null;
  readonly rules: ShippedRules | null;
  private readonly layout: ReasonLayout;
  private noEvents: AggregateValues | undefined;
  private schema: InputSchema | undefined;

  constructor(parts: LeadModelParts) {
    ({
      manifest: this.manifest,
      spec: this.spec,
      scorer: this.scorer,
      calibrator: this.calibrator,
      rules: this.rules,
    } = parts);
    this.layout = reasonLayout(this.spec);
  }

  get version(): string {
    return this.manifest.version;
  }

  get tiers(): TierThresholds {
    return this.manifest.tiers;
  }

  /** Model tier names, best first. */
  get tierNames(): string[] {
    return this.manifest.tiers.names;
  }

  /** The attribute columns and event types the model and its shipped rules read. */
  get inputSchema(): InputSchema {
    this.schema ??= inputSchemaOf(this.spec, this.rules?.engine);
    return this.schema;
  }

  /**
   * Names the shipped rules read that the training data lacked, recorded when the model was
   * trained with `--allow-unknown-rule-columns` (such rules never fire, or always do).
   */
  get unknownRuleNames(): { columns: string[]; eventTypes: string[] } | undefined {
    return this.manifest.rules?.unknownNames;
  }

  /** Calibrated probabilities of encoded rows. */
  async predict(x: Matrix): Promise<Float32Array> {
    const p = await this.scorer.predictProba(x);
    return this.calibrator ? this.calibrator.apply(p) : p;
  }

  /**
   * Scores every row of a frame; `reasons` asks for that many reasons per row. The rules
   * score too (with the rows' events, `eventsByLead`) unless `rules` is false.
   */
  async scoreFrame(
    frame: Frame,
    context: EncodeContext & { eventsByLead?: EventsByLead; reasons?: number; rules?: boolean } = {},
  ): Promise<FrameScoring> {
    const x = encodeFrame(this.spec, frame, context);
    const probability = await this.predict(x);
    const tier = Array.from(probability, (p) => this.tierOf(p));
    let ruleScore: Float64Array | null = null;
    let ruleTier: string[] | null = null;
    if (this.rules && context.rules !== false) {
      const r = this.rules.engine.scoreFrame(
        frame,
        context.eventsByLead,
        context.asOf ?? this.spec.referenceAsOf ?? Infinity,
      );
      ruleScore = r.total;
      ruleTier = Array.from(r.tier, (t) => this.rules!.engine.tierNames[t]!);
    }
    const out: FrameScoring = { probability, tier, ruleScore, ruleTier };
    if (context.reasons) {
      const k = context.reasons;
      const width = x.cols;
      // A linear scorer's contributions come straight from the rows, without an explain matrix.
      const weights = this.scorer.linearWeights;
      const contributions = weights ? null : await this.scorer.explain(x);
      const columns = new Map(frame.columns.map((c) => [c.name, c]));
      // The raw values of the row being worded: one reader for every row.
      let row = 0;
      const raw = (s: string) => {
        const column = columns.get(s);
        return column ? cellAt(column, row) : null;
      };
      const reasonsOf = (r: number): Reason[] => {
        row = r;
        return weights
          ? topLinearReasonsAt(x.data, r * width, weights, this.layout, raw, k)
          : topReasonsAt(contributions!.data, r * width, this.layout, raw, k);
      };
      out.reasonsOf = reasonsOf;
      let all: Reason[][] | undefined;
      Object.defineProperty(out, 'reasons', {
        enumerable: true,
        get: () => (all ??= Array.from({ length: frame.rowCount }, (_, r) => reasonsOf(r))),
      });
    }
    return out;
  }

  /** Scores leads online (one model call for all of them), each as of its own asOf. */
  async scoreLeads(inputs: readonly LeadInput[], reasons = 3): Promise<LeadScoreResult[]> {
    const n = inputs.length;
    const width = featureCount(this.spec);
    const x: Matrix = { rows: n, cols: width, data: new Float32Array(n * width) };
    // A linear scorer's contributions come straight from the encoded rows: its reasons are
    // worded as each row is encoded, from aggregates computed into one object reused lead
    // after lead. Other scorers word them after `explain`, from each lead's own aggregates.
    const weights = reasons > 0 ? this.scorer.linearWeights : undefined;
    const aggregates = reasons > 0 && !weights ? new Array<AggregateValues | undefined>(n) : undefined;
    const why = new Array<Reason[]>(n);
    const reused: AggregateValues = {};
    // The raw values of the lead being worded: one reader for all leads (the loops do not await).
    let attributes: LeadAttributes = {};
    let a: AggregateValues = NO_AGGREGATES;
    const raw = (s: string) => attributes[s] ?? a[s] ?? null;
    for (let r = 0; r < n; r++) {
      const lead = inputs[r]!;
      const values = this.aggregatesOf(lead, aggregates ? {} : reused);
      encodeLeadInto(this.spec, lead.attributes, values, lead.asOf, x.data, r * width);
      if (aggregates) aggregates[r] = values;
      else if (weights) {
        attributes = lead.attributes;
        a = values ?? NO_AGGREGATES;
        why[r] = topLinearReasonsAt(x.data, r * width, weights, this.layout, raw, reasons);
      } else why[r] = [];
    }
    const probability = await this.predict(x);
    if (aggregates) {
      const contributions = await this.scorer.explain(x);
      for (let r = 0; r < n; r++) {
        attributes = inputs[r]!.attributes;
        a = aggregates[r] ?? NO_AGGREGATES;
        why[r] = topReasonsAt(contributions.data, r * width, this.layout, raw, reasons);
      }
    }
    const engine = this.rules?.engine;
    const rule = { fit: 0, engagement: 0, total: 0, tier: 0 };
    const out = new Array<LeadScoreResult>(n);
    for (let r = 0; r < n; r++) {
      const lead = inputs[r]!;
      const p = probability[r]!;
      engine?.scoreInto(lead.attributes, lead.events, lead.asOf, rule);
      out[r] = {
        leadId: lead.leadId,
        probability: p,
        score: Math.round(p * 100),
        tier: this.tierOf(p),
        ruleScore: engine ? rule.total : null,
        ruleTier: engine ? engine.tierNames[rule.tier]! : null,
        reasons: why[r]!,
        modelVersion: this.version,
      };
    }
    return out;
  }

  /**
   * A lead's event aggregates as of its asOf, written into `into`; undefined when the spec
   * has no event features. Without events they do not depend on the time, so that common
   * case is computed once (a frozen object, which the encoder recognises).
   */
  private aggregatesOf(lead: LeadInput, into: AggregateValues): AggregateValues | undefined {
    const options = this.spec.events;
    if (!options) return undefined;
    if (lead.events.length > 0) return eventAggregatesInto(lead.events, lead.asOf, options, into);
    this.noEvents ??= Object.freeze(eventAggregates([], 0, options));
    return this.noEvents;
  }

  private tierOf(p: number): string {
    return this.manifest.tiers.names[tierIndexOf(p, this.manifest.tiers)]!;
  }

  /** The artifact's files: manifest (with every other file's hash), spec, scorer, calibrator, rules, and `extra`. */
  async toFiles(extra: Record<string, Uint8Array> = {}): Promise<Map<string, Uint8Array>> {
    const files = new Map<string, Uint8Array>();
    files.set(F.spec, text.encode(JSON.stringify(this.spec)));
    const artifact = await this.scorer.toArtifact();
    files.set(
      F.scorer,
      text.encode(JSON.stringify({ kind: artifact.kind, meta: artifact.meta, files: Object.keys(artifact.files) })),
    );
    for (const [name, bytes] of Object.entries(artifact.files)) files.set(`model/${name}`, bytes);
    if (this.calibrator) files.set(F.calibrator, text.encode(JSON.stringify(this.calibrator.toJSON())));
    if (this.rules) files.set(F.rules, text.encode(this.rules.text));
    for (const [name, bytes] of Object.entries(extra)) files.set(name, bytes);
    const hashes = Object.fromEntries(
      [...files].map(([name, bytes]) => [name, { sha256: sha256(bytes), bytes: bytes.length }]),
    );
    const { selfSha256: _, ...body } = {
      ...this.manifest,
      featureSpecHash: specHash(this.spec),
      featureCount: featureCount(this.spec),
      files: hashes,
    };
    const manifest: Manifest = { ...body, selfSha256: manifestHash(body) };
    files.set(F.manifest, text.encode(`${JSON.stringify(manifest, null, 2)}\n`));
    return files;
  }

  /**
   * Loads and checks a model version from its files: the manifest, every file it lists
   * (present, same hash), the spec (its hash), the scorer (its input width), the
   * calibrator and the rules. Any missing or mismatched part throws an InputError naming it.
   */
  static async fromFiles(files: ReadonlyMap<string, Uint8Array>, where = 'model'): Promise<LeadModel> {
    const json = (name: string): unknown => {
      const bytes = files.get(name);
      if (!bytes) throw new InputError(`${where}: missing ${name}`);
      try {
        return JSON.parse(untext.decode(bytes));
      } catch (err) {
        throw new InputError(`${where}: ${name} is not valid JSON: ${(err as Error).message}`);
      }
    };
    const parsed = Manifest.safeParse(json(F.manifest));
    if (!parsed.success) {
      throw new InputError(`${where}: ${F.manifest}: ${formatZodError(parsed.error, { maxIssues: 3 })}`);
    }
    const manifest = parsed.data;
    const { selfSha256, ...body } = json(F.manifest) as Record<string, unknown>;
    if (selfSha256 === undefined)
      throw new InputError(
        `${where}: ${F.manifest} carries no selfSha256 (its own hash): written by an older leadscore, or edited; train the model again`,
      );
    if (manifestHash(body) !== selfSha256)
      throw new InputError(
        `${where}: ${F.manifest} does not match its own hash (selfSha256): the file changed or is corrupt`,
      );
    for (const [name, expected] of Object.entries(manifest.files)) {
      const bytes = files.get(name);
      if (!bytes) throw new InputError(`${where}: missing ${name} (listed in ${F.manifest})`);
      if (bytes.length !== expected.bytes || sha256(bytes) !== expected.sha256)
        throw new InputError(
          `${where}: ${name} does not match its hash in ${F.manifest}: the file changed or is corrupt`,
        );
    }
    let spec: FeatureSpec;
    try {
      spec = parseFeatureSpec(json(F.spec));
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(`${where}: ${F.spec} is not a valid feature spec`);
    }
    if (specHash(spec) !== manifest.featureSpecHash)
      throw new InputError(
        `${where}: ${F.spec} hash ${specHash(spec)} differs from the manifest's ${manifest.featureSpecHash}`,
      );
    const head = json(F.scorer) as { kind?: unknown; meta?: unknown; files?: unknown };
    if (
      typeof head.kind !== 'string' ||
      typeof head.meta !== 'object' ||
      head.meta === null ||
      !Array.isArray(head.files)
    ) {
      throw new InputError(`${where}: ${F.scorer} needs kind, meta and files`);
    }
    const artifact: ScorerArtifact = { kind: head.kind, meta: head.meta as Record<string, unknown>, files: {} };
    for (const name of head.files as string[]) {
      const bytes = files.get(`model/${name}`);
      if (!bytes) throw new InputError(`${where}: missing model/${name}`);
      artifact.files[name] = bytes;
    }
    const cols = artifactInputColumns(artifact);
    if (cols !== undefined && cols !== featureCount(spec))
      throw new InputError(
        `${where}: the model takes ${cols} features but the feature spec makes ${featureCount(spec)}`,
      );
    const scorer = await scorerFromArtifact(artifact);
    const calibrator =
      manifest.calibration === 'none' ? null : calibratorFromJson(json(F.calibrator), `${where}: ${F.calibrator}`);
    let rules: ShippedRules | null = null;
    if (manifest.rules) {
      const bytes = files.get(F.rules);
      if (!bytes) throw new InputError(`${where}: missing ${F.rules}`);
      const caseSensitive = new Set(
        spec.encoders.flatMap((e) => (e.kind === 'categorical' && e.caseSensitive ? [e.source] : [])),
      );
      rules = compileRulesText(manifest.rules.name, untext.decode(bytes), caseSensitive);
    }
    return new LeadModel({ manifest, spec, scorer, calibrator, rules });
  }

  dispose(): void {
    this.scorer.dispose();
  }
}
