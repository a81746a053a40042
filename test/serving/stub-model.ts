import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../features/errors.ts';
import type { LeadInput, LeadScoreResult, ModelLoader, ServableModel } from '../../serving/servable-model.ts';

/**
 * A tiny stand-in for the lead model with hand-checkable outputs:
 * probability = sigmoid(bias + weight * attributes.x + eventWeight * events before asOf),
 * score = round(100 p), tier = first tier whose minScore the score reaches.
 */
export interface StubManifest {
  kind: 'stub-lead-model';
  version: string;
  bias: number;
  weight: number;
  eventWeight: number;
  tiers: { name: string; minScore: number }[];
}

/** Calls made to every stub model of this process, for micro-batching tests. */
export const stubCalls: { leads: number }[] = [];

export class StubModel implements ServableModel {
  readonly tierNames: string[];
  disposed = false;
  constructor(readonly manifest: StubManifest) {
    this.tierNames = manifest.tiers.map((t) => t.name);
  }
  get version(): string {
    return this.manifest.version;
  }
  async scoreLeads(inputs: LeadInput[]): Promise<LeadScoreResult[]> {
    if (this.disposed) throw new Error('stub model used after dispose');
    stubCalls.push({ leads: inputs.length });
    const m = this.manifest;
    return inputs.map((lead) => {
      const x = lead.attributes['x'] ?? 0;
      if (typeof x !== 'number') throw new InputError(`lead ${lead.leadId}: attribute x: expected a number`);
      const events = lead.events.filter((e) => e.at < lead.asOf).length;
      const z = m.bias + m.weight * x + m.eventWeight * events;
      const probability = 1 / (1 + Math.exp(-z));
      const score = Math.round(probability * 100);
      const tier = m.tiers.find((t) => score >= t.minScore)?.name ?? m.tiers[m.tiers.length - 1]!.name;
      return {
        leadId: lead.leadId,
        probability,
        score,
        tier,
        ruleScore: null,
        ruleTier: null,
        reasons: [{ text: `${events} events`, contribution: m.eventWeight * events }],
        modelVersion: m.version,
      };
    });
  }
  dispose(): void {
    this.disposed = true;
  }
}

/** Loads a stub artifact: manifest.json must be a stub manifest, or it throws. */
export const loadStubModel: ModelLoader = async (files) => {
  const raw = files.get('manifest.json');
  if (!raw) throw new Error('manifest.json missing');
  const manifest = JSON.parse(new TextDecoder().decode(raw)) as StubManifest;
  if (manifest.kind !== 'stub-lead-model' || typeof manifest.bias !== 'number' || !Array.isArray(manifest.tiers)) {
    throw new Error('manifest.json is not a stub lead model');
  }
  return new StubModel(manifest);
};

/** Default stub: no events -> p = 0.5 (score 50, tier B); each event adds 1 to the log-odds. */
export const stubManifest = (over: Partial<StubManifest> = {}): StubManifest => ({
  kind: 'stub-lead-model',
  version: 'stub-1',
  bias: 0,
  weight: 0,
  eventWeight: 1,
  tiers: [
    { name: 'A', minScore: 80 },
    { name: 'B', minScore: 40 },
    { name: 'C', minScore: 0 },
  ],
  ...over,
});

/** Writes a stub artifact directory and returns its path. */
export function writeStubArtifact(dir: string, manifest: StubManifest | string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'manifest.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  return dir;
}
