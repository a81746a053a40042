import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Queue, QueueEvents, type Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeadModel } from '../../models/lead-model.ts';
import { readArtifactFiles } from '../../serving/artifact-files.ts';
import { loadLeadModel } from '../../serving/lead-model-loader.ts';
import { freshName, privateRedis } from './redis-server.ts';
import { startWorkerProcess } from './worker-process.ts';
import { artifactVersion, DAY, funnelLead, realArtifact } from './real-artifact.ts';
import { startHarness, type Harness } from './worker-harness.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const tmp = tempDir();
let redisUrl: string;
let artifact: string;
let h: Harness;

beforeAll(async () => {
  redisUrl = (await privateRedis()).url;
  artifact = await realArtifact();
  h = await startHarness(redisUrl, {
    loader: loadLeadModel,
    model: artifact,
    contracts: { maxPayloadBytes: 64 * 1024, maxStateBytes: 2048 },
  });
});
afterAll(async () => {
  await h?.close();
});

/** A job's failure message (it must fail at once, without retries). */
async function failure(harness: Harness, job: Job): Promise<string> {
  const err = await job.waitUntilFinished(harness.queueEvents, 15_000).then(
    () => null,
    (e: Error) => e,
  );
  expect(err, 'the job should fail').not.toBeNull();
  expect((await harness.queue.getJob(job.id!))?.attemptsMade).toBe(1);
  return err!.message;
}

const metric = async (harness: Harness, name: string) => {
  const text = await harness.worker.metrics.registry.metrics();
  return text.split('\n').filter((l) => l.startsWith(name));
};

describe('attribute names', () => {
  it("fails a lead that names none of the model's columns, naming what it got (score and score-batch)", async () => {
    const wrong = { Industry: 'software', Employees: 500, Job_Title: 'CTO' };
    const one = await h.queue.add('score', { lead: { leadId: 'n1', attributes: wrong } }, { attempts: 5 });
    expect(await failure(h, one)).toMatch(
      /^invalid payload: lead\.attributes: none of the model's input columns is present \(it reads "created_at", "industry", .*"employees".*\); got "Industry", "Employees", "Job_Title"$/,
    );
    const none = await h.queue.add('score', { lead: { leadId: 'n2', attributes: {} } }, { attempts: 5 });
    expect(await failure(h, none)).toMatch(
      /lead\.attributes: none of the model's input columns is present .*; got no attributes$/,
    );
    const batch = await h.queue.add(
      'score-batch',
      {
        leads: [
          { leadId: 'b0', attributes: funnelLead(Date.now()) },
          { leadId: 'b1', attributes: wrong },
        ],
      },
      { attempts: 5 },
    );
    expect(await failure(h, batch)).toMatch(
      /^invalid payload: leads\.1\.attributes: none of the model's input columns is present/,
    );
  });

  it("scores a lead with some unknown names, listing them in the result's warnings and counting them", async () => {
    const count = async () => Number((await metric(h, 'leadscore_unknown_attributes_total'))[0]?.split(' ')[1] ?? 0);
    const before = await count();
    const job = await h.queue.add('score', {
      lead: { leadId: 'u1', attributes: { ...funnelLead(Date.now()), crm_owner: 'ann', LastTouch: 'x' } },
      store: false,
    });
    const r = (await job.waitUntilFinished(h.queueEvents, 15_000)) as { warnings?: string[]; score: number };
    expect(r.warnings).toEqual(['unknown attributes ignored (not read by the model): "crm_owner", "LastTouch"']);
    const exact = await h.client.score({ leadId: 'u2', attributes: funnelLead(Date.now()) }, { store: false });
    expect(exact.warnings).toBeUndefined();
    expect((await count()) - before).toBe(2);
  });

  it('counts, per model column, the leads that came without a value', async () => {
    const { employees: _, ...withoutEmployees } = funnelLead(Date.now());
    await h.client.scoreBatch(
      [
        { leadId: 'm1', attributes: withoutEmployees },
        { leadId: 'm2', attributes: { ...withoutEmployees, industry: ' ' } },
      ],
      { store: false },
    );
    const missing = await metric(h, 'leadscore_attribute_missing_total');
    expect(missing).toContain('leadscore_attribute_missing_total{column="employees"} 2');
    expect(missing).toContain('leadscore_attribute_missing_total{column="industry"} 1');
    expect(missing).toContain('leadscore_attribute_missing_total{column="country"} 0');
    expect((await metric(h, 'leadscore_attribute_checked_leads_total'))[0]).toMatch(/ \d+$/);
  });

  it('with strict attributes, refuses any unknown name', async () => {
    const strict = await startHarness(redisUrl, {
      loader: loadLeadModel,
      model: artifact,
      contracts: { strictAttributes: true },
    });
    try {
      const job = await strict.queue.add(
        'score',
        { lead: { leadId: 's1', attributes: { ...funnelLead(Date.now()), crm_owner: 'ann' } } },
        { attempts: 3 },
      );
      expect(await failure(strict, job)).toMatch(
        /^invalid payload: lead\.attributes: unknown attribute "crm_owner" \(refused by --strict-attributes; the model reads "created_at", "industry", /,
      );
      expect(
        (await strict.client.score({ leadId: 's2', attributes: funnelLead(Date.now()) }, { store: false })).warnings,
      ).toBeUndefined();
    } finally {
      await strict.close();
    }
  });
});

describe('event times', () => {
  it('refuses times in seconds, before 2000 or more than the allowed skew ahead, with the reason', async () => {
    const now = Date.now();
    const seconds = Math.floor(now / 1000) - 3600;
    const cases: [string, object, RegExp][] = [
      [
        'event',
        { event: { leadId: 't1', type: 'pricing_view', at: seconds } },
        new RegExp(
          `^invalid payload: event\\.at: ${seconds} looks like seconds since the epoch \\(20\\d\\d-.*Z\\); times are epoch milliseconds$`,
        ),
      ],
      [
        'event',
        { event: { leadId: 't1', type: 'pricing_view', at: Date.UTC(3000, 0, 1) } },
        /^invalid payload: event\.at: 32503680000000 \(3000-01-01T00:00:00\.000Z\) is more than 1 day ahead of the worker's clock/,
      ],
      [
        'event',
        { event: { leadId: 't1', type: 'pricing_view', at: Date.UTC(1999, 11, 31) } },
        /^invalid payload: event\.at: 946598400000 \(1999-12-31T00:00:00\.000Z\) is before 2000-01-01/,
      ],
      [
        'score',
        {
          lead: {
            leadId: 't2',
            attributes: funnelLead(now),
            events: [
              { type: 'page_view', at: now - DAY },
              { type: 'page_view', at: seconds },
            ],
          },
        },
        /^invalid payload: lead\.events\.1\.at: \d+ looks like seconds/,
      ],
      [
        'score-batch',
        { leads: [{ leadId: 't3', attributes: funnelLead(now), asOf: seconds }] },
        /^invalid payload: leads\.0\.asOf: \d+ looks like seconds/,
      ],
    ];
    for (const [kind, data, message] of cases)
      expect(await failure(h, await h.queue.add(kind, data, { attempts: 4 }))).toMatch(message);
    // Nothing of the refused events was kept.
    expect((await h.worker.state.read('t1')).events).toEqual([]);
    // Within the skew (a producer's clock a few minutes ahead) is fine.
    const ahead = await h.client.track(
      { leadId: 't4', type: 'pricing_view', at: now + 5 * 60_000, eventId: 'ahead' },
      { attributes: { industry: 'software' } },
    );
    expect(ahead.duplicate).toBe(false);
  });

  it('takes the skew as an option', async () => {
    const tight = await startHarness(redisUrl, {
      loader: loadLeadModel,
      model: artifact,
      contracts: { maxClockSkewMs: 1000 },
    });
    try {
      const job = await tight.queue.add('event', {
        event: { leadId: 'k1', type: 'pricing_view', at: Date.now() + 60_000 },
      });
      expect(await failure(tight, job)).toMatch(/is more than 1 s ahead of the worker's clock/);
    } finally {
      await tight.close();
    }
  });
});

describe('size caps', () => {
  it('refuses a payload above --max-payload-bytes, and stored attributes above --max-state-bytes, keeping nothing', async () => {
    const big = await h.queue.add(
      'score',
      { lead: { leadId: 'z1', attributes: { ...funnelLead(Date.now()), notes: 'x'.repeat(70 * 1024) } } },
      { attempts: 3 },
    );
    expect(await failure(h, big)).toBe(
      'invalid payload: (payload): more than 65536 bytes as JSON (--max-payload-bytes)',
    );
    const attributes = { ...funnelLead(Date.now()), notes: 'y'.repeat(3000) };
    const stored = await h.queue.add('score', { lead: { leadId: 'z2', attributes } }, { attempts: 3 });
    expect(await failure(h, stored)).toBe(
      "invalid payload: lead.attributes: more than 2048 bytes as JSON, the most a lead's stored state may hold (--max-state-bytes)",
    );
    const event = await h.queue.add(
      'event',
      { event: { leadId: 'z2', type: 'page_view', at: Date.now() }, attributes },
      { attempts: 3 },
    );
    expect(await failure(h, event)).toMatch(/^invalid payload: attributes: more than 2048 bytes/);
    expect(await h.worker.state.read('z2')).toMatchObject({ attributes: null, events: [] });
    // Not stored, the same lead scores.
    expect((await h.client.score({ leadId: 'z2', attributes }, { store: false })).warnings).toEqual([
      'unknown attribute ignored (not read by the model): "notes"',
    ]);
  });
});

describe('a new artifact that reads other inputs', () => {
  /** A copy of the served artifact whose feature spec reads `industry` as `sector`: another dataset's model, in effect. */
  async function renamedArtifact(dir: string): Promise<void> {
    const model = await LeadModel.fromFiles(await readArtifactFiles(artifact));
    const spec = {
      ...model.spec,
      encoders: model.spec.encoders.map((e) =>
        e.source === 'industry' ? { ...e, source: 'sector', label: 'sector' } : e,
      ),
    };
    const other = new LeadModel({
      manifest: { ...model.manifest, version: `${model.version}-other` },
      spec,
      scorer: model.scorer,
      calibrator: model.calibrator,
      rules: model.rules,
    });
    for (const [name, bytes] of await other.toFiles()) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), bytes);
    }
    model.dispose();
  }

  it('is refused (the old model keeps serving, the log says why) unless the worker allows schema changes', async () => {
    for (const allowSchemaChange of [false, true]) {
      const served = path.join(tmp.dir, `served-${allowSchemaChange}`);
      cpSync(artifact, served, { recursive: true });
      const w = await startHarness(redisUrl, { loader: loadLeadModel, model: served, allowSchemaChange });
      try {
        await renamedArtifact(served);
        const outcome = await w.worker.models.checkForUpdate();
        const r = await w.client.score({ leadId: 'v1', attributes: funnelLead(Date.now()) }, { store: false });
        if (!allowSchemaChange) {
          expect(outcome).toBe('rejected');
          expect(r.modelVersion).toBe(artifactVersion(artifact));
          expect(w.logs.join('\n')).toMatch(
            /reads other inputs than the model this worker started with: new columns: \\"sector\\"; columns read otherwise: \\"industry\\" \(categorical -> read by rules only\) \(start the worker with --allow-schema-change to take it\)/,
          );
        } else {
          expect(outcome).toBe('loaded');
          expect(r.modelVersion).toBe(`${artifactVersion(artifact)}-other`);
        }
      } finally {
        await w.close();
      }
    }
  });
});

describe('leadscore serve flags', () => {
  it('--strict-attributes, --max-clock-skew, --max-payload-bytes and --max-state-bytes reach the worker; bad values exit 2', async () => {
    const queue = freshName('flags');
    const w = await startWorkerProcess({
      model: artifact,
      redis: redisUrl,
      queue,
      statePrefix: `${queue}:state`,
      strictAttributes: true,
      maxClockSkew: 60,
      maxPayloadBytes: 4096,
      maxStateBytes: 1024,
    });
    const q = new Queue(queue, { connection: { url: redisUrl } });
    const events = new QueueEvents(queue, { connection: { url: redisUrl } });
    try {
      const now = Date.now();
      const failed = async (name: string, data: object) => {
        const job = await q.add(name, data);
        return job.waitUntilFinished(events, 15_000).then(
          () => 'completed',
          (e: Error) => e.message,
        );
      };
      expect(await failed('score', { lead: { leadId: 'f1', attributes: { ...funnelLead(now), extra: 1 } } })).toMatch(
        /unknown attribute "extra" \(refused by --strict-attributes/,
      );
      expect(await failed('event', { event: { leadId: 'f2', type: 'page_view', at: now + 5 * 60_000 } })).toMatch(
        /is more than 60 s ahead/,
      );
      expect(
        await failed('score', {
          lead: { leadId: 'f3', attributes: { ...funnelLead(now), email: `${'a'.repeat(5000)}@x.com` } },
          store: false,
        }),
      ).toMatch(/more than 4096 bytes/);
      expect(
        await failed('score', {
          lead: { leadId: 'f4', attributes: { ...funnelLead(now), email: `${'a'.repeat(1500)}@x.com` } },
        }),
      ).toMatch(/more than 1024 bytes .*--max-state-bytes/);
      expect(await failed('score', { lead: { leadId: 'f5', attributes: funnelLead(now) } })).toBe('completed');
    } finally {
      w.child.kill('SIGKILL');
      await events.close();
      await q.obliterate({ force: true });
      await q.close();
    }
    for (const [flag, value] of [
      ['maxClockSkew', '-5'],
      ['maxPayloadBytes', '10'],
      ['maxStateBytes', 'lots'],
    ] as const) {
      const started = startWorkerProcess({ model: artifact, redis: redisUrl, queue: freshName(), [flag]: value });
      await expect(started).rejects.toThrow(
        new RegExp(`exited \\(2\\)[^]*leadscore: serve: --${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: `),
      );
    }
  });
});
