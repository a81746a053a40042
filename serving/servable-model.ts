import type { InputSchema } from '../models/input-schema.ts';
import type { LeadInput, LeadScoreResult } from '../models/lead-model.ts';

export type { InputSchema, LeadInput, LeadScoreResult };

/**
 * The part of the lead model (models/lead-model.ts `LeadModel`) the worker relies on: a
 * loaded, validated artifact that scores many leads in one call. An interface rather than
 * the class, so tests can serve a small hand-checkable model.
 */
export interface ServableModel {
  readonly version: string;
  /** Tier names, best first. */
  readonly tierNames: string[];
  /**
   * The attribute columns and event types the model reads. Payloads are checked against
   * it (unknown and missing names) and a reload may not change it unless allowed; a model
   * without one is served unchecked.
   */
  readonly inputSchema?: InputSchema;
  /**
   * Names its rules read that its training data lacked (trained with
   * `--allow-unknown-rule-columns`). The worker refuses such a model unless allowed.
   */
  readonly unknownRuleNames?: { columns: string[]; eventTypes: string[] };
  scoreLeads(inputs: LeadInput[]): Promise<LeadScoreResult[]>;
  dispose(): void;
}

/** Builds a model from an artifact's files (relative path -> bytes); throws on a broken artifact. */
export type ModelLoader = (files: Map<string, Uint8Array>) => Promise<ServableModel>;
