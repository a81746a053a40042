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
      const [{ formatVersionList }, { ModelRegistry }] = await Promise.all([import('../../registry/format-registry.ts'), import('../../registry/model-registry.ts')]);
      const registry = new ModelRegistry(opts.registry);
      const [{ versions, unreadable }, production] = await Promise.all([registry.inventory(), registry.production()]);
      for (const u of unreadable) process.stderr.write(`leadscore: skipped ${u.version}: ${u.reason}\n`);
      if (opts.json) {
        const rows = versions.map(({ manifest: _manifest, ...v }) => ({ ...v, production: v.version === production.version }));
        process.stdout.write(`${JSON.stringify({ registry: registry.dir, production: production.version, versions: rows, unreadable })}\n`);
      } else process.stdout.write(formatVersionList(versions, production, registry.dir));
    });
}
