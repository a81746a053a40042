import type { Command } from 'commander';
import { parseOption } from '../parse-option.ts';

interface BacktestOpts {
  config: string;
  folds: string;
  initialTrain: string;
  window: string;
  data?: string;
  backend: string;
  json?: boolean;
  skipBadRows?: boolean;
  quiet?: boolean;
}

/** `leadscore backtest`: rolling-origin folds by time, model and rules per fold, and their spread. */
export function registerBacktest(program: Command): void {
  program
    .command('backtest')
    .description(
      'Rolling-origin backtest: train before each cutoff, test on the next window; AUC, lift and tier conversion per fold for model and rules',
    )
    .requiredOption('--config <file>', 'dataset config (YAML or JSON)')
    .option('--folds <n>', 'number of test windows', '5')
    .option('--initial-train <share>', 'share of the oldest rows in the first training window', '0.5')
    .option(
      '--window <kind>',
      'expanding (all rows before the cutoff) or sliding (the latest initial-size window)',
      'expanding',
    )
    .option('--data <file>', "read this file instead of the config's leads file (same schema)")
    .option('--backend <name>', 'TensorFlow.js backend: auto, tfjs-node, wasm or cpu', 'auto')
    .option('--json', 'print one JSON object')
    .option('--skip-bad-rows', 'skip malformed rows and report them instead of failing')
    .option('--quiet', 'no progress on stderr')
    .action(async (opts: BacktestOpts) => {
      const [{ z }, { BackendChoice }, { loadDatasetConfig }, { printBacktest }] = await Promise.all([
        import('zod'),
        import('../../../models/tf-backend.ts'),
        import('../../config/load-config.ts'),
        import('../print-backtest.ts'),
      ]);
      const folds = parseOption(z.coerce.number().int().min(1).max(50), opts.folds, '--folds');
      const initialTrainFraction = parseOption(z.coerce.number().gt(0).lt(1), opts.initialTrain, '--initial-train');
      const window = parseOption(z.enum(['expanding', 'sliding']), opts.window, '--window');
      const backend = parseOption(BackendChoice, opts.backend, '--backend');
      const loaded = await loadDatasetConfig(opts.config);
      await printBacktest(
        loaded,
        { folds, initialTrainFraction, window, data: opts.data, skipBadRows: opts.skipBadRows, backend },
        opts,
      );
    });
}
