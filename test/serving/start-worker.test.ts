import { describe, expect, it } from 'vitest';
import { runWorker } from '../../serving/run-worker.ts';
import { loadStubModel } from './stub-model.ts';

describe('runWorker', () => {
  it('refuses --threads with a loader of its own: threads load artifacts with the lead model loader', async () => {
    await expect(runWorker({ model: '/nonexistent', redis: 'redis://127.0.0.1:1', threads: 2 }, loadStubModel)).rejects.toThrow(
      /^serve: --threads: worker threads load artifacts with the lead model loader only$/,
    );
    await expect(runWorker({ model: '/nonexistent', threads: 0 }, loadStubModel)).rejects.toThrow(/^serve: --threads: /);
  });
});
