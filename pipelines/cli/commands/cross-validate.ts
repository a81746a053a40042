import type { Command } from 'commander';
import { parseOption } from '../parse-option.ts';

interface CrossValidateOpts {
  config: string;
  folds?: string;
  data?: string;
  backend: string;
  json?: boolean;
  skipBadRows?: boolean;
  quiet?: boolean;
}

/** `leadscore cross-validate`: stratified k-fold cross-validation, model and rules per fold, and their spread. */
export function registerCrossValidate(program: Command): void {
  program
    .command('cross-validate')
    .description(
      'Stratified k-fold cross-validation: each fold trains on the others and tests on itself; AUC, lift and tier conversion per fold for model and rules',
    )
    .requiredOption('--config <file>', 'dataset config (YAML or JSON)')
    .option('--folds <n>', "number of folds (default: the config's training.split.folds, 5 unless set)")
    .option('--data <file>', "read this file instead of the config's leads file (same schema)")
    .option('--backend <name>', 'TensorFlow.js backend: auto, tfjs-node, wasm or cpu', 'auto')
    .option('--json', 'print one JSON object')
    .option('--skip-bad-rows', 'skip malformed rows and report them instead of failing')
    .option('--quiet', 'no progress on stderr')
    .action(async (opts: CrossValidateOpts) => {
      const [{ z }, { BackendChoice }, { loadDatasetConfig }, { printBacktest }] = await Promise.all([
        import('zod'),
        import('../../../models/tf-backend.ts'),
        import('../../config/load-config.ts'),
        import('../print-backtest.ts'),
      ]);
      const folds =
        opts.folds === undefined
          ? undefined
          : parseOption(z.coerce.number().int().min(2).max(50), opts.folds, '--folds');
      const backend = parseOption(BackendChoice, opts.backend, '--backend');
      const loaded = await loadDatasetConfig(opts.config);
      await printBacktest(
        loaded,
        { scheme: 'k-fold', folds, data: opts.data, skipBadRows: opts.skipBadRows, backend },
        opts,
      );
    });
}
