import type { Command } from 'commander';
import { defaultRegistryDir } from '../../registry/default-registry-dir.ts';

/** `leadscore models add DIR`: copies a trained artifact into the registry as a new version. */
export function registerModelsAdd(models: Command): void {
  models
    .command('add')
    .description('Register a model artifact directory as a new version (copied; not promoted)')
    .argument('<artifact-dir>', 'a directory holding manifest.json (the output of leadscore train)')
    .option('--registry <dir>', 'registry directory', defaultRegistryDir)
    .option('--version <name>', 'version name (default: the next vN)')
    .action(async (artifactDir: string, opts: { registry: string; version?: string }) => {
      const { ModelRegistry } = await import('../../registry/model-registry.ts');
      const added = await new ModelRegistry(opts.registry).add(artifactDir, opts.version);
      process.stdout.write(`added ${added.version} (${added.dir})\n`);
    });
}
