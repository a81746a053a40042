import type { Command } from 'commander';
import { defaultRegistryDir } from '../../registry/default-registry-dir.ts';

/** `leadscore models rollback`: puts back the previous production model. */
export function registerModelsRollback(models: Command): void {
  models
    .command('rollback')
    .description('Put back the model that was in production before the current one')
    .option('--registry <dir>', 'registry directory', defaultRegistryDir)
    .option('--redis <url>', 'also publish the production artifact path to this Redis (needs --key)')
    .option('--key <key>', 'the Redis key serving workers watch (their --model-key)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { registry: string; redis?: string; key?: string; json?: boolean }) => {
      const [{ formatHistoryEntry }, { ModelRegistry }, { publishHook, redisTarget }] = await Promise.all([
        import('../../registry/format-registry.ts'),
        import('../../registry/model-registry.ts'),
        import('../../registry/publish-production.ts'),
      ]);
      const target = redisTarget(opts);
      const registry = new ModelRegistry(opts.registry);
      const entry = await registry.rollback({ beforeSwitch: publishHook(target) });
      const published = target?.label ?? null;
      if (opts.json) process.stdout.write(`${JSON.stringify({ ...entry, published })}\n`);
      else {
        process.stdout.write(formatHistoryEntry(entry));
        if (published) process.stdout.write(`published to ${published}\n`);
      }
    });
}
