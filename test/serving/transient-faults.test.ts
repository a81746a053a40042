import { describe, expect, it } from 'vitest';
import type { ModelLoader } from '../../serving/servable-model.ts';
import { privateRedis } from './redis-server.ts';
import { loadStubModel } from './stub-model.ts';
import { startHarness } from './worker-harness.ts';

describe('transient faults', () => {
  it('retries a job whose scoring failed for a passing reason, with backoff, and completes it', async () => {
    let failures = 0;
    const flaky: ModelLoader = async (files) => {
      const model = await loadStubModel(files);
      const score = model.scoreLeads.bind(model);
      // the smoke test at load passes; then the first two job calls fail
      let calls = 0;
      model.scoreLeads = async (inputs) => {
        calls++;
        if (calls >= 2 && calls <= 3) {
          failures++;
          throw new Error('backend briefly unavailable');
        }
        return score(inputs);
      };
      return model;
    };
    const h = await startHarness((await privateRedis()).url, { loader: flaky });
    try {
      const job = await h.queue.add(
        'score',
        { lead: { leadId: 'f1', attributes: {} }, store: false },
        { attempts: 4, backoff: { type: 'exponential', delay: 20 } },
      );
      const result = await job.waitUntilFinished(h.queueEvents, 15_000);
      expect(result.score).toBe(50);
      expect(failures).toBe(2);
      expect((await h.queue.getJob(job.id!))?.attemptsMade).toBe(3);
      expect(h.worker.health().ok).toBe(true);
      const failed = await h.worker.metrics.registry.getSingleMetricAsString('leadscore_jobs_total');
      expect(failed).toContain('kind="score",outcome="failed"} 2');
      expect(failed).toContain('kind="score",outcome="completed"} 1');
    } finally {
      await h.close();
    }
  });
});
