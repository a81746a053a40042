import path from 'node:path';
import type { Command } from 'commander';

/** The embedded demo data set's config, wherever the command runs from. */
const demoConfig = path.resolve(import.meta.dirname, '../../configs/bank-marketing.yaml');

/** `leadscore demo`: the main job, train and evaluate on the embedded bank-marketing data. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Train and evaluate on the embedded bank-marketing data, then compare the model with the rules')
    .option('--out <dir>', 'artifact directory (default data/models/<version>)')
    .action(async (opts: { out?: string }) => {
      const [{ formatComparison }, { loadDatasetConfig }, { runTrain }, { artifactExtras }, { fitProgress }] =
        await Promise.all([
          import('../../../training/format-comparison.ts'),
          import('../../config/load-config.ts'),
          import('../../train/run-train.ts'),
          import('../artifact-extras.ts'),
          import('../progress.ts'),
        ]);
      const loaded = await loadDatasetConfig(demoConfig);
      process.stdout.write(
        `Training on ${path.relative(process.cwd(), loaded.config.leads.path)} (UCI Bank Marketing, CC BY 4.0)\n`,
      );
      const progress = fitProgress();
      const result = await runTrain(loaded, {
        out: opts.out,
        onProgress: progress.onProgress,
        extraFiles: artifactExtras,
      }).finally(progress.stop);
      process.stdout.write(
        `model ${result.model.version}: ${result.model.manifest.model.kind}, evaluated on ${result.comparison.rows} held-out leads\n`,
      );
      process.stdout.write(`${formatComparison(result.comparison)}\n`);
      process.stdout.write(
        `Next: npx leadscore evaluate --model ${path.relative(process.cwd(), result.dir)}; npx leadscore score --model ... --input FILE --output scores.csv\n`,
      );
      if (result.model.manifest.rules) process.stdout.write(`report: ${path.join(result.dir, 'report.html')}\n`);
      process.stdout.write(`${result.dir}\n`);
      result.model.dispose();
    });
}
