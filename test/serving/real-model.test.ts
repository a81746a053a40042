import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArtifactFiles } from '../../serving/artifact-files.ts';
import { loadLeadModel } from '../../serving/lead-model-loader.ts';
import type { ServableModel } from '../../serving/servable-model.ts';
import { privateRedis } from './redis-server.ts';
import { artifactVersion, DAY, funnelLead, realArtifact } from './real-artifact.ts';
import { startHarness, type Harness } from './worker-harness.ts';
import { tempDir } from '../helpers/temp-dir.ts';

let h: Harness;
let direct: ServableModel;
let artifact: string;
let served: string;
let version: string;
const tmp = tempDir();

beforeAll(async () => {
  artifact = await realArtifact();
  version = artifactVersion(artifact);
  served = path.join(tmp.dir, 'served');
  cpSync(artifact, served, { recursive: true });
  direct = await loadLeadModel(await readArtifactFiles(artifact));
  h = await startHarness((await privateRedis()).url, { loader: loadLeadModel, model: served });
});
afterAll(async () => {
  await h?.close();
  direct?.dispose();
});

describe('serving a trained artifact', () => {
  it('scores a lead exactly as the model does in process, rules beside it', async () => {
    const asOf = Date.now();
    const lead = {
      leadId: 'q1',
      attributes: funnelLead(asOf, 0),
      events: [{ type: 'pricing_view', at: asOf - DAY }],
      asOf,
    };
    const served = await h.client.score(lead, { store: false });
    const [expected] = await direct.scoreLeads([{ ...lead, events: [{ ...lead.events[0]!, leadId: 'q1' }] }]);
    expect(served.probability).toBe(expected!.probability);
    expect(served.tier).toBe(expected!.tier);
    // The same reasons, their contributions to 4 decimals.
    expect(served.reasons).toEqual(
      expected!.reasons.map((r) => ({ text: r.text, contribution: Math.round(r.contribution * 1e4) / 1e4 })),
    );
    expect(served.reasons.length).toBeGreaterThan(0);
    expect(served.ruleScore).toBe(expected!.ruleScore);
    expect(served.ruleScore).not.toBeNull();
    expect(served.ruleTier).toBe(expected!.ruleTier);
    expect(served.modelVersion).toBe(version);
    expect(direct.tierNames).toContain(served.tier);
  });

  it('rescores on events from the online state exactly as the model does, counting each event once', async () => {
    const now = Date.now();
    const attributes = funnelLead(now, 1);
    await h.client.score({ leadId: 'q2', attributes });
    const events = ['page_view', 'pricing_view', 'form_submit'].map((type, k) => ({
      leadId: 'q2',
      type,
      at: now - (3 - k) * DAY,
      eventId: `f${k}`,
    }));
    for (let k = 0; k < events.length; k++) {
      const r = await h.client.track(events[k]!);
      expect(r.duplicate).toBe(false);
      const [expected] = await direct.scoreLeads([
        { leadId: 'q2', attributes, events: events.slice(0, k + 1), asOf: r.result.asOf },
      ]);
      expect(r.result.probability).toBe(expected!.probability);
      expect(r.result.ruleScore).toBe(expected!.ruleScore);
    }
    const dup = await h.client.track(events[2]!);
    expect(dup.duplicate).toBe(true);
    const [expected] = await direct.scoreLeads([{ leadId: 'q2', attributes, events, asOf: dup.result.asOf }]);
    expect(dup.result.probability).toBe(expected!.probability);
  });

  it('scores many leads in one call as it scores each alone: every lead worded with its own events', async () => {
    const asOf = Date.now();
    const types = ['page_view', 'pricing_view', 'email_click', 'form_submit', 'webinar'];
    const leads = Array.from({ length: 40 }, (_, i) => ({
      leadId: `m${i}`,
      attributes: funnelLead(asOf, i),
      // Leads with and without events, of different types, counts, ages and seconds.
      events: Array.from({ length: i % 4 === 0 ? 0 : 1 + (i % 7) }, (_, k) => ({
        type: types[(i + k) % types.length]!,
        at: asOf - (1 + ((i * 3 + k * 5) % 40)) * DAY,
        properties: { seconds: 10 * (i + k) },
      })),
      asOf,
    }));
    const together = await direct.scoreLeads(leads);
    const alone = [];
    for (const lead of leads) alone.push((await direct.scoreLeads([lead]))[0]);
    expect(together).toEqual(alone);
    // Reasons quote event aggregates, which differ from lead to lead.
    const quoted = new Set(together.flatMap((r) => r.reasons.map((x) => x.text)).filter((t) => /events?\b/.test(t)));
    expect(quoted.size).toBeGreaterThan(3);
  });

  it('rejects an artifact whose weights no longer match the manifest, and keeps serving', async () => {
    const manifest = JSON.parse(readFileSync(path.join(served, 'manifest.json'), 'utf8')) as {
      files: Record<string, unknown>;
    };
    const weights = Object.keys(manifest.files).find((f) => f.startsWith('model/') && f !== 'model/scorer.json')!;
    writeFileSync(path.join(served, weights), new Uint8Array([1, 2, 3]));
    expect(await h.worker.models.checkForUpdate()).toBe('rejected');
    expect(h.logs.join('\n')).toMatch(/does not match its hash/);
    const r = await h.client.score({ leadId: 'q3', attributes: funnelLead(Date.now(), 2) }, { store: false });
    expect(r.modelVersion).toBe(version);
  });
});
