import { describe, expect, it } from 'vitest';
import { InputError } from '../../../features/errors.ts';
import { GradientBoostingClassifier } from '../../../models/gbdt/gradient-boosting-classifier.ts';
import type { ScorerArtifact } from '../../../models/scorer.ts';
import { xorData } from './fixtures.ts';

const train = xorData(1000, 5);
const test = xorData(300, 6);
test.x.data[0] = NaN;

async function fitted(): Promise<GradientBoostingClassifier> {
  return new GradientBoostingClassifier({ categoricalFeatures: [] }).fit(train.x, train.y);
}

/** The artifact as it would come back from disk: JSON metadata and copied blobs. */
function throughDisk(a: ScorerArtifact): ScorerArtifact {
  const files = Object.fromEntries(Object.entries(a.files).map(([k, v]) => [k, Uint8Array.from(v)]));
  return { kind: a.kind, meta: JSON.parse(JSON.stringify(a.meta)), files };
}

describe('gradient boosting artifact', () => {
  it('round-trips to identical probabilities and contributions', async () => {
    const model = await fitted();
    const again = GradientBoostingClassifier.fromArtifact(throughDisk(await model.toArtifact()));
    expect([...(await again.predictProba(test.x))]).toEqual([...(await model.predictProba(test.x))]);
    expect([...(await again.explain(test.x)).data]).toEqual([...(await model.explain(test.x)).data]);
    expect(again.options).toEqual(model.options);
  });

  it('reads blobs that sit at odd offsets of a larger buffer', async () => {
    const a = await (await fitted()).toArtifact();
    const files = Object.fromEntries(
      Object.entries(a.files).map(([k, v]) => {
        const big = new Uint8Array(v.length + 1);
        big.set(v, 1);
        return [k, big.subarray(1)];
      }),
    );
    const again = GradientBoostingClassifier.fromArtifact({ ...a, files });
    expect(again.treeCount).toBeGreaterThan(0);
  });

  it('refuses another kind, bad metadata, a missing blob or a malformed tree', async () => {
    const a = throughDisk(await (await fitted()).toArtifact());
    expect(() => GradientBoostingClassifier.fromArtifact({ ...a, kind: 'logistic' })).toThrow(/kind "logistic"/);
    expect(() => GradientBoostingClassifier.fromArtifact({ ...a, meta: { ...a.meta, trees: 'x' } })).toThrow(
      /meta\.trees/,
    );
    const { ['trees/value.f64']: _, ...missing } = a.files;
    expect(() => GradientBoostingClassifier.fromArtifact({ ...a, files: missing })).toThrow(/trees\/value\.f64/);
    const left = new Int32Array(a.files['trees/left.i32']!.slice().buffer);
    left[0] = 0;
    const broken = { ...a.files, 'trees/left.i32': new Uint8Array(left.buffer) };
    expect(() => GradientBoostingClassifier.fromArtifact({ ...a, files: broken })).toThrow(InputError);
  });
});
