import type { BacktestOptions } from '../lifecycle/run-backtest.ts';
import type { LoadedConfig } from '../config/load-config.ts';

/**
 * Runs a backtest or cross-validation for the CLI: a line per fold and the phases on stderr
 * (neither with `quiet`; no fold lines with `json`), the skipped rows and warnings told, then
 * the result as text or one JSON object on stdout.
 */
export async function printBacktest(
  loaded: LoadedConfig,
  options: Omit<BacktestOptions, 'onFold' | 'phases'>,
  output: { json?: boolean; quiet?: boolean },
): Promise<void> {
  const [{ formatBacktest }, { runBacktest }, { reportSkipped }, { withPhases }] = await Promise.all([
    import('../lifecycle/format-backtest.ts'),
    import('../lifecycle/run-backtest.ts'),
    import('./report-skipped.ts'),
    import('./progress.ts'),
  ]);
  const onFold =
    output.json || output.quiet ? undefined : (j: number, k: number) => process.stderr.write(`fold ${j} of ${k}...\n`);
  const result = await withPhases(output.quiet, (phases) => runBacktest(loaded, { ...options, onFold, phases }));
  const { skipped, warnings, ...report } = result;
  reportSkipped(skipped, warnings);
  process.stdout.write(output.json ? `${JSON.stringify(report)}\n` : formatBacktest(result));
}
