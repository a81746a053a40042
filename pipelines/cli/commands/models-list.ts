import type { Command } from 'commander';
import { defaultRegistryDir } from '../../registry/default-registry-dir.ts';

/** `leadscore models list`: every version in the registry, production marked. */
export function registerModelsList(models: Command): void {
  models
    .command('list')
    .description('List model versions, oldest first; * marks production')
    .option('--registry <dir>', 'registry directory', defaultRegistryDir)
    .option('--json', 'print one JSON object')
    .action(async (opts: { registry: string; json?: boolean }) => {
      const [{ formatVersionList }, { ModelRegistry }] = await Promise.all([
        import('../../registry/format-registry.ts'),
        import('../../registry/model-registry.ts'),
      ]);
      const registry = new ModelRegistry(opts.registry);
      const [{ versions, unreadable }, production, productions] = await Promise.all([
        registry.inventory(),
        registry.production(),
        registry.productions(),
      ]);
      const inProduction = new Set([...productions.values()].map((p) => p.version));
      for (const u of unreadable) process.stderr.write(`leadscore: skipped ${u.version}: ${u.reason}\n`);
      if (opts.json) {
        const rows = versions.map(({ manifest: _manifest, ...v }) => ({
          ...v,
          production: inProduction.has(v.version),
        }));
        const byDataset = Object.fromEntries([...productions].map(([d, p]) => [d, p.version]));
        process.stdout.write(
          `${JSON.stringify({ registry: registry.dir, production: production.version, productions: byDataset, versions: rows, unreadable })}\n`,
        );
      } else process.stdout.write(formatVersionList(versions, productions, registry.dir));
    });
}
