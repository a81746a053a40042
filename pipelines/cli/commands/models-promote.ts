import type { Command } from 'commander';
import { defaultRegistryDir } from '../../registry/default-registry-dir.ts';
import { publishOptions, type PublishOpts } from '../../registry/publish-production.ts';

interface PromoteOpts extends PublishOpts {
  registry: string;
  force?: boolean;
  data?: string;
  json?: boolean;
}

/** `leadscore models promote V`: makes a version the production model, if it scores no worse. */
export function registerModelsPromote(models: Command): void {
  const promote = models
    .command('promote')
    .description('Make a version the production model; refused when it scores worse than the current one (see --force)')
    .argument('<version>', 'version name, e.g. v3')
    .option('--registry <dir>', 'registry directory', defaultRegistryDir)
    .option('--force', 'promote even when the version scores worse or cannot be compared')
    .option(
      '--data <file>',
      're-score both models on this labelled file (default: compare the held-out AUCs stored at train time)',
    );
  publishOptions(promote)
    .option('--json', 'print one JSON object')
    .action(async (version: string, opts: PromoteOpts) => {
      const [{ formatHistoryEntry }, { ModelRegistry }, { publishHook, redisTarget }, { rescoreOnFile }] =
        await Promise.all([
          import('../../registry/format-registry.ts'),
          import('../../registry/model-registry.ts'),
          import('../../registry/publish-production.ts'),
          import('../../registry/rescore-on-file.ts'),
        ]);
      const target = redisTarget(opts);
      const registry = new ModelRegistry(opts.registry);
      const result = await registry.promote(version, {
        force: opts.force,
        rescore: opts.data === undefined ? undefined : rescoreOnFile(opts.data),
        beforeSwitch: publishHook(target),
      });
      const published = target?.label ?? null;
      if (opts.json) process.stdout.write(`${JSON.stringify({ ...result, published })}\n`);
      else {
        if (result.overridden) process.stderr.write(`leadscore: --force: ${result.overridden}\n`);
        process.stdout.write(formatHistoryEntry(result.entry));
        if (published) process.stdout.write(`published to ${published}\n`);
      }
    });
}
