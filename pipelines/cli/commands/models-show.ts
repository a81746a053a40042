import type { Command } from 'commander';
import { defaultRegistryDir } from '../../registry/default-registry-dir.ts';

/** `leadscore models show V`: one version's summary and manifest. */
export function registerModelsShow(models: Command): void {
  models
    .command('show')
    .description('Show one model version: metrics, data, manifest')
    .argument('<version>', 'version name, e.g. v3 (or "production")')
    .option('--registry <dir>', 'registry directory', defaultRegistryDir)
    .option('--json', 'print one JSON object')
    .action(async (version: string, opts: { registry: string; json?: boolean }) => {
      const [{ formatVersion }, { ModelRegistry }] = await Promise.all([
        import('../../registry/format-registry.ts'),
        import('../../registry/model-registry.ts'),
      ]);
      const registry = new ModelRegistry(opts.registry);
      const plain = await registry.production();
      const name = version === 'production' && plain.version !== null ? plain.version : version;
      const summary = await registry.show(name);
      // Production of its own dataset.
      const production = await registry.production(summary.dataset);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ...summary, production: summary.version === production.version })}\n`);
      } else process.stdout.write(formatVersion(summary, production));
    });
}
