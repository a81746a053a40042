import { createHash } from 'node:crypto';
import { numberValues } from '../../../features/frame.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame } from '../../../features/encode-features.ts';
import { InputError } from '../../../features/errors.ts';
import { fitFeatureSpec } from '../../../features/fit-feature-spec.ts';
import { canonicalJson } from '../../../features/feature-spec.ts';
import type { Frame } from '../../../features/frame.ts';
import { MANIFEST_FORMAT, type Manifest } from '../../../models/artifact/manifest.ts';
import { fitCalibrator } from '../../../models/calibration/calibrator.ts';
import { seededRandom } from '../../../models/seeded-random.ts';
import { compileRulesText, LeadModel } from '../../../models/lead-model.ts';
import { LogisticRegression } from '../../../models/logistic-regression.ts';
import { Mlp } from '../../../models/mlp.ts';
import type { Scorer } from '../../../models/scorer.ts';

/** 300 leads: visits (numeric) and source (categorical) drive conversion. */
function leads(): Frame {
  const random = seededRandom(17);
  const n = 300;
  const visits: number[] = [];
  const source: string[] = [];
  const label = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    visits.push(Math.floor(random() * 20));
    source.push(['ads', 'referral', 'organic'][i % 3]!);
    const z = 0.25 * visits[i]! - 2.5 + (source[i] === 'referral' ? 1.5 : 0);
    label[i] = random() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return {
    source: 'leads.csv',
    rowCount: n,
    ids: Array.from({ length: n }, (_, i) => `L${i}`),
    label,
    rowNumbers: Array.from({ length: n }, (_, i) => i + 1),
    columns: [
      { name: 'visits', type: 'numeric', values: numberValues(visits) },
      { name: 'source', type: 'categorical', values: source },
    ],
  };
}

const RULES = `name: test-rules
rules:
  - id: many-visits
    column: visits
    range: { atLeast: 10 }
    points: 20
tiers:
  - { name: hot, atLeast: 20 }
  - { name: cold }
`;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A model with every part: spec, scorer, Platt calibrator, tiers and rules. */
async function buildModel(scorer: Scorer): Promise<LeadModel> {
  const frame = leads();
  const spec = fitFeatureSpec(frame, {}, { minFrequency: 1 });
  const x = encodeFrame(spec, frame);
  await scorer.fit(x, frame.label!, { seed: 1 });
  const calibrator = fitCalibrator('platt', await scorer.predictProba(x), frame.label!);
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    version: 'test-1',
    createdAt: '2026-01-01T00:00:00.000Z',
    dataset: 'test',
    inputs: [],
    fingerprint: 'none',
    config: {},
    featureSpecHash: '',
    featureCount: x.cols,
    model: { kind: scorer.kind, options: {} },
    calibration: 'platt',
    backend: 'wasm',
    seed: 1,
    tiers: { policy: 'capacity', names: ['hot', 'warm', 'cold'], thresholds: [0.6, 0.3] },
    rules: { name: 'test-rules', file: 'rules.yaml' },
    metrics: {},
    files: {},
  };
  return new LeadModel({ manifest, spec, scorer, calibrator, rules: compileRulesText('rules.yaml', RULES) });
}

/** Rewrites one JSON file and re-hashes it in the manifest, so only the intended mismatch remains. */
function rewrite(
  files: Map<string, Uint8Array>,
  name: string,
  edit: (value: Record<string, unknown>) => void,
): Map<string, Uint8Array> {
  const out = new Map(files);
  const value = JSON.parse(decoder.decode(out.get(name)!)) as Record<string, unknown>;
  edit(value);
  const bytes = encoder.encode(JSON.stringify(value));
  out.set(name, bytes);
  const manifest = JSON.parse(decoder.decode(out.get('manifest.json')!)) as Manifest;
  manifest.files[name] = { sha256: sha256(bytes), bytes: bytes.length };
  out.set('manifest.json', encoder.encode(JSON.stringify(sealed(manifest))));
  return out;
}

/** A manifest with its own hash made anew (as a careful forger would). */
function sealed(manifest: Manifest): Manifest {
  const { selfSha256: _, ...body } = manifest;
  return { ...body, selfSha256: sha256(encoder.encode(canonicalJson(body))) };
}

/** The files with manifest.json edited, its own hash left as it was or (`reseal`) made anew. */
function editManifest(
  files: Map<string, Uint8Array>,
  edit: (m: Manifest) => void,
  reseal = false,
): Map<string, Uint8Array> {
  const out = new Map(files);
  let manifest = JSON.parse(decoder.decode(out.get('manifest.json')!)) as Manifest;
  edit(manifest);
  if (reseal) manifest = sealed(manifest);
  out.set('manifest.json', encoder.encode(JSON.stringify(manifest, null, 2)));
  return out;
}

describe.each([
  ['logistic regression', () => new LogisticRegression()],
  ['mlp', () => new Mlp({ hiddenUnits: [8], maxEpochs: 20, batchSize: 64 })],
])('LeadModel artifact with %s', (_name, makeScorer) => {
  let model: LeadModel;
  let files: Map<string, Uint8Array>;
  const online = [
    { leadId: 'a', attributes: { visits: 15, source: 'referral' }, events: [], asOf: 0 },
    { leadId: 'b', attributes: { visits: 1, source: 'ads' }, events: [], asOf: 0 },
  ];

  beforeAll(async () => {
    model = await buildModel(makeScorer());
    files = await model.toFiles();
  });
  afterAll(() => model.dispose());

  it('lists every part in the manifest with its hash', () => {
    const manifest = JSON.parse(decoder.decode(files.get('manifest.json')!)) as Manifest;
    expect(Object.keys(manifest.files).sort()).toEqual([
      'calibrator.json',
      'feature-spec.json',
      'model/scorer.json',
      'model/weights.bin',
      'rules.yaml',
    ]);
    for (const [name, entry] of Object.entries(manifest.files)) expect(entry.sha256).toBe(sha256(files.get(name)!));
  });

  it('round-trips: the loaded model scores leads exactly as the original', async () => {
    const loaded = await LeadModel.fromFiles(files);
    try {
      expect(await loaded.scoreLeads(online)).toEqual(await model.scoreLeads(online));
      const [hot] = await loaded.scoreLeads(online);
      expect(hot!.ruleScore).toBe(20);
      expect(hot!.reasons.length).toBeGreaterThan(0);
    } finally {
      loaded.dispose();
    }
  });

  it('refuses a tampered manifest: tier names or thresholds edited, its own hash removed; thresholds out of order even when resealed', async () => {
    await expect(
      LeadModel.fromFiles(editManifest(files, (m) => (m.tiers.names = m.tiers.names.map(() => 'HOT!!')))),
    ).rejects.toThrow(/^model: manifest\.json: tiers\.names: tier names must differ/);
    await expect(LeadModel.fromFiles(editManifest(files, (m) => (m.tiers.names[0] = 'HOT!!')))).rejects.toThrow(
      /^model: manifest\.json does not match its own hash \(selfSha256\): the file changed or is corrupt$/,
    );
    await expect(
      LeadModel.fromFiles(
        editManifest(files, (m) => (m.tiers.thresholds = m.tiers.thresholds.map((t) => (t === null ? t : t / 2)))),
      ),
    ).rejects.toThrow(/does not match its own hash/);
    await expect(LeadModel.fromFiles(editManifest(files, (m) => delete m.selfSha256))).rejects.toThrow(
      /^model: manifest\.json carries no selfSha256 \(its own hash\)/,
    );
    await expect(
      LeadModel.fromFiles(editManifest(files, (m) => (m.tiers.thresholds = [...m.tiers.thresholds].reverse()), true)),
    ).rejects.toThrow(/^model: manifest\.json: tiers\.thresholds: thresholds must not increase/);
    await expect(LeadModel.fromFiles(editManifest(files, (m) => (m.tiers.thresholds[0] = 1.5), true))).rejects.toThrow(
      /^model: manifest\.json: tiers\.thresholds\.0: /,
    );
    // Formatting and key order are not edits.
    const again = await LeadModel.fromFiles(editManifest(files, () => {}));
    expect(again.version).toBe(model.version);
    again.dispose();
  });

  it('fails clearly on a missing part', async () => {
    const without = (name: string) => new Map([...files].filter(([n]) => n !== name));
    await expect(LeadModel.fromFiles(without('manifest.json'))).rejects.toThrow(/missing manifest\.json/);
    await expect(LeadModel.fromFiles(without('model/weights.bin'))).rejects.toThrow(/missing model\/weights\.bin/);
    await expect(LeadModel.fromFiles(without('calibrator.json'))).rejects.toThrow(InputError);
  });

  it('fails clearly on changed weights', async () => {
    const changed = new Map(files);
    const weights = Uint8Array.from(files.get('model/weights.bin')!);
    weights[0]! ^= 0xff;
    changed.set('model/weights.bin', weights);
    await expect(LeadModel.fromFiles(changed)).rejects.toThrow(/model\/weights\.bin does not match its hash/);
  });

  it('fails clearly when the feature spec is not the one the manifest names', async () => {
    const changed = rewrite(files, 'feature-spec.json', (spec) => {
      spec.referenceAsOf = 12345;
    });
    await expect(LeadModel.fromFiles(changed)).rejects.toThrow(
      /feature-spec\.json hash .* differs from the manifest's/,
    );
  });

  it('fails clearly when the weights do not fit the feature count', async () => {
    const changed = rewrite(files, 'model/scorer.json', (head) => {
      (head.meta as Record<string, unknown>).cols = 99;
    });
    await expect(LeadModel.fromFiles(changed)).rejects.toThrow(/model takes 99 features but the feature spec makes/);
  });
});
