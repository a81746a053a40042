import type { LeadInput, LeadScoreResult } from '../models/lead-model.ts';

export type { LeadInput, LeadScoreResult };

/**
 * The part of the lead model (models/lead-model.ts `LeadModel`) the worker relies on: a
 * loaded, validated artifact that scores many leads in one call. An interface rather than
 * the class, so tests can serve a small hand-checkable model.
 */
export interface ServableModel {
  readonly version: string;
  /** Tier names, best first. */
  readonly tierNames: string[];
  scoreLeads(inputs: LeadInput[]): Promise<LeadScoreResult[]>;
  dispose(): void;
}

/** Builds a model from an artifact's files (relative path -> bytes); throws on a broken artifact. */
export type ModelLoader = (files: Map<string, Uint8Array>) => Promise<ServableModel>;
