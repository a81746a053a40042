import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDatasetConfig } from '../../../pipelines/config/load-config.ts';
import { REPORT_FILE, reportArtifactFiles } from '../../../pipelines/report/report-artifact-files.ts';
import { reportDataFromModelDir } from '../../../pipelines/report/report-data-from-model.ts';
import { reportNumbers } from '../../../pipelines/report/report-numbers.ts';
import { runTrain, type TrainResult } from '../../../pipelines/train/run-train.ts';
import { seededRandom } from '../../../training/random.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const tmp = tempDir('leadscore-report-model-');

/** Leads whose conversion rises with spend, visits and referral; the rules know part of that. */
function writeLeads(name: string, rows: number, seed: number): string {
  const random = seededRandom(seed);
  const lines = ['id,spend,visits,channel,converted'];
  for (let i = 0; i < rows; i++) {
    const spend = Math.round(100 + 40 * (random() + random() + random() - 1.5));
    const visits = Math.floor(random() * 12);
    const channel = random() < 0.6 ? 'web' : 'referral';
    const logit = -1.5 + 0.03 * (spend - 100) + 0.2 * visits + (channel === 'referral' ? 0.8 : 0);
    lines.push(`${name}-${i},${spend},${visits},${channel},${random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0}`);
  }
  return tmp.write(`${name}.csv`, `${lines.join('\n')}\n`);
}

let trained: TrainResult;
let freshData: string;

beforeAll(async () => {
  const leads = writeLeads('train', 2000, 1);
  freshData = writeLeads('fresh', 500, 2);
  tmp.write(
    'rules.yaml',
    [
      'name: test rules',
      'rules:',
      '  - { id: referral, column: channel, equals: referral, points: 20 }',
      '  - { id: big-spend, column: spend, range: { atLeast: 120 }, points: 15 }',
      '  - { id: many-visits, column: visits, range: { atLeast: 6 }, points: 10 }',
      'tiers:',
      '  - { name: hot, atLeast: 30 }',
      '  - { name: warm, atLeast: 15 }',
      '  - { name: cold }',
      '',
    ].join('\n'),
  );
  const config = tmp.write(
    'leads.yaml',
    [
      'name: report-demo',
      `leads: { path: ${JSON.stringify(leads)} }`,
      'idColumn: id',
      'label: { column: converted, positive: ["1"] }',
      'columns: { spend: numeric, visits: numeric, channel: categorical }',
      'rules: rules.yaml',
      'training: { calibration: none, evaluation: { bootstrapResamples: 100 } }',
      '',
    ].join('\n'),
  );
  trained = await runTrain(await loadDatasetConfig(config), {
    out: path.join(tmp.dir, 'model'),
    backend: 'cpu',
    extraFiles: reportArtifactFiles,
  });
  trained.model.dispose();
});

describe('report data from a model directory', () => {
  it('uses the held-out rows and agrees with the comparison stored at training', async () => {
    const { data } = await reportDataFromModelDir(trained.dir, undefined);
    const n = reportNumbers(data);
    const c = trained.comparison;
    expect(n.rows).toBe(c.rows);
    expect(n.conversions).toBe(c.positives);
    expect(n.summary.model.auc).toBeCloseTo(c.model.auc, 6);
    expect(n.summary.rules.auc).toBeCloseTo(c.rules!.auc, 6);
    expect(n.summary.model.brier).toBeCloseTo(c.model.brier, 6);
    expect(n.tiers.model).toEqual(c.tiers.model);
    expect(n.tiers.rules).toEqual(c.tiers.rules);
    expect(n.agreement).toEqual(c.agreement!.cells);
    expect(data.modelTiers).toEqual(c.agreement!.modelTiers);
    expect(data.ruleTiers).toEqual(['hot', 'warm', 'cold']);
    expect(data.provenance).toMatchObject({
      modelVersion: trained.model.version,
      rulesName: 'rules.yaml',
      dataFingerprint: `sha256:${trained.model.manifest.fingerprint}`,
    });
    expect(data.provenance.rows).toMatch(/^(test|validation) rows of train\.csv$/);
  });

  it('puts the report of the held-out rows in the artifact at training, dated with the model', () => {
    const html = readFileSync(path.join(trained.dir, REPORT_FILE), 'utf8');
    expect(html.match(/<svg /g)).toHaveLength(8);
    expect(html).toContain(`<code>${trained.model.version}</code>`);
    expect(html).toContain(`<code>${trained.model.manifest.createdAt}</code>`);
    expect(html).toContain(`${trained.comparison.rows.toLocaleString('en-US')} leads`);
    // listed (and hashed) in the manifest like every other part
    expect(JSON.parse(readFileSync(path.join(trained.dir, 'manifest.json'), 'utf8')).files[REPORT_FILE]).toBeDefined();
  });

  it('ranks the features with direction: more spend and visits raise the score', async () => {
    const { data } = await reportDataFromModelDir(trained.dir, undefined);
    const weight = (label: string) => data.featureImportances.find((f) => f.feature === label)?.weight;
    expect(weight('spend')).toBeGreaterThan(0);
    expect(weight('visits')).toBeGreaterThan(0);
    expect(weight('channel = referral')).toBeGreaterThan(0);
  });

  it('scores every row of --data and fingerprints that file', async () => {
    const { data } = await reportDataFromModelDir(trained.dir, freshData);
    expect(data.rows.label).toHaveLength(500);
    expect(data.provenance.dataFile).toBe(freshData);
    expect(data.provenance.dataFingerprint).toBe(
      `sha256:${createHash('sha256').update(readFileSync(freshData)).digest('hex')}`,
    );
    expect(data.provenance.rows).toBe('all rows of fresh.csv');
  });

  it('leadscore report --model writes the report; compare --model prints the tables', () => {
    const out = path.join(tmp.dir, 'report.html');
    const r = runCli(['report', '--model', trained.dir, '--data', freshData, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8').match(/<svg /g)).toHaveLength(8);
    const cmp = runCli(['compare', '--model', trained.dir]);
    expect(cmp.code).toBe(0);
    expect(cmp.stdout).toContain(
      `Model ${trained.model.version} vs rules on ${trained.comparison.rows.toLocaleString('en-US')} leads`,
    );
  });
});
