import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { trainFunnelModel } from '../helpers/train-bench-model.ts';

export const DAY = 86_400_000;

let trained: Promise<string> | undefined;
let trainedIn: string | undefined;
// Registered while the test file is collected: a hook added from inside a test never runs.
afterAll(() => {
  if (trainedIn) rmSync(trainedIn, { recursive: true, force: true });
});

/**
 * A real artifact, trained once per test file with `leadscore train` on 3000 generated
 * funnel leads (event features, calibration, tiers, shipped rules); removed after the file.
 */
export function realArtifact(): Promise<string> {
  trained ??= (async () => {
    trainedIn = mkdtempSync(path.join(os.tmpdir(), 'leadscore-real-model-'));
    return (await trainFunnelModel(trainedIn, 3000)).model;
  })();
  return trained;
}

/** The version an artifact's manifest names. */
export function artifactVersion(dir: string): string {
  return (JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { version: string }).version;
}

/** A funnel lead's attributes (the columns of pipelines/configs/synthetic-funnel.yaml). */
export function funnelLead(now: number, n = 0) {
  return {
    industry: ['software', 'finance', 'retail'][n % 3]!,
    country: ['US', 'DE', 'BR'][n % 3]!,
    job_title: ['VP Engineering', 'Developer', 'Student'][n % 3]!,
    source: ['referral', 'ads', 'organic'][n % 3]!,
    employees: 50 + 100 * n,
    email: `person${n}@example.com`,
    created_at: now - 20 * DAY,
  };
}
