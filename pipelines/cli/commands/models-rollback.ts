import type { Command } from 'commander';
import { defaultRegistryDir } from '../../registry/default-registry-dir.ts';
import { publishOptions, type PublishOpts } from '../../registry/publish-production.ts';

/** `leadscore models rollback`: puts back the previous production model. */
export function registerModelsRollback(models: Command): void {
  const rollback = models
    .command('rollback')
    .description('Put back the model that was in production before the current one')
    .option('--registry <dir>', 'registry directory', defaultRegistryDir)
    .option(
      '--dataset <name>',
      'the dataset (config name) whose production model to roll back; needed when the registry holds several',
    );
  publishOptions(rollback)
    .option('--json', 'print one JSON object')
    .action(async (opts: PublishOpts & { registry: string; dataset?: string; json?: boolean }) => {
      const [{ formatHistoryEntry }, { ModelRegistry }, { publishHook, redisTarget }] = await Promise.all([
        import('../../registry/format-registry.ts'),
        import('../../registry/model-registry.ts'),
        import('../../registry/publish-production.ts'),
      ]);
      const target = redisTarget(opts);
      const registry = new ModelRegistry(opts.registry);
      const entry = await registry.rollback({ beforeSwitch: publishHook(target), dataset: opts.dataset });
      const published = target?.label ?? null;
      if (opts.json) process.stdout.write(`${JSON.stringify({ ...entry, published })}\n`);
      else {
        process.stdout.write(formatHistoryEntry(entry));
        if (published) process.stdout.write(`published to ${published}\n`);
      }
    });
}
