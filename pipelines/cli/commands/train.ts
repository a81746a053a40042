import path from 'node:path';
import type { Command } from 'commander';
import { parseOption } from '../parse-option.ts';

/** `leadscore train`: fit, calibrate and evaluate a model version; prints the artifact path last. */
export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('Train a model version on a dataset config, evaluate it against the rules, write its artifact')
    .requiredOption('--config <file>', 'dataset config (YAML or JSON)')
    .option('--data <file>', "read this file instead of the config's leads file (same schema)")
    .option('--out <dir>', 'artifact directory (default data/models/<version>)')
    .option('--backend <name>', 'TensorFlow.js backend: auto, tfjs-node, wasm or cpu', 'auto')
    .option('--skip-bad-rows', 'skip malformed rows and report them instead of failing')
    .option('--quiet', 'no progress on stderr')
    .option(
      '--allow-unknown-rule-columns',
      'train even when rules name columns or event types the data lacks (refused by default: such rules never fire)',
    )
    .action(
      async (opts: {
        config: string;
        data?: string;
        out?: string;
        backend: string;
        skipBadRows?: boolean;
        allowUnknownRuleColumns?: boolean;
        quiet?: boolean;
      }) => {
        const [
          { BackendChoice },
          { formatComparison },
          { chanceStatement },
          { loadDatasetConfig },
          { artifactExtras },
          { fitProgress, phaseProgress },
          { reportSkipped },
          { runTrain },
        ] = await Promise.all([
          import('../../../models/tf-backend.ts'),
          import('../../../training/format-comparison.ts'),
          import('../../../training/chance.ts'),
          import('../../config/load-config.ts'),
          import('../artifact-extras.ts'),
          import('../progress.ts'),
          import('../report-skipped.ts'),
          import('../../train/run-train.ts'),
        ]);
        const backend = parseOption(BackendChoice, opts.backend, '--backend');
        const loaded = await loadDatasetConfig(opts.config);
        const phases = phaseProgress({ quiet: opts.quiet });
        const progress = fitProgress({ quiet: opts.quiet });
        const result = await runTrain(loaded, {
          data: opts.data,
          out: opts.out,
          backend,
          skipBadRows: opts.skipBadRows,
          allowUnknownRuleColumns: opts.allowUnknownRuleColumns,
          onProgress: progress.onProgress,
          extraFiles: artifactExtras,
          phases,
        }).finally(() => {
          progress.stop();
          phases.stop();
        });
        reportSkipped(result.skipped, result.warnings);
        if (result.left && (result.left.convertedBefore || result.left.noAsOf)) {
          process.stderr.write(
            `leadscore: left out ${result.left.convertedBefore} leads already converted at asOf and ${result.left.noAsOf} without an asOf\n`,
          );
        }
        const chance = chanceStatement(result.comparison.modelAuc);
        process.stdout.write(
          `${chance ? `${chance}\n` : ''}model ${result.model.version} (${result.model.manifest.model.kind}, ${result.evaluatedOn} rows)\n`,
        );
        process.stdout.write(`${formatComparison(result.comparison, { chance: false })}\n`);
        if (result.model.manifest.rules) process.stdout.write(`report: ${path.join(result.dir, 'report.html')}\n`);
        process.stdout.write(`${result.dir}\n`);
        result.model.dispose();
      },
    );
}
