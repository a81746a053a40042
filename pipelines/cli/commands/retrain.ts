import type { Command } from 'commander';
import { defaultRegistryDir } from '../../registry/default-registry-dir.ts';
import { publishOptions, type PublishOpts } from '../../registry/publish-production.ts';
import { parseOption } from '../parse-option.ts';

interface RetrainOpts extends PublishOpts {
  config: string;
  since?: string;
  holdout?: string;
  promote?: boolean;
  force?: boolean;
  registry: string;
  backend: string;
  json?: boolean;
  skipBadRows?: boolean;
  quiet?: boolean;
}

/** `leadscore retrain`: a challenger from closed deals, judged with the champion and the rules on the newest leads. */
export function registerRetrain(program: Command): void {
  const retrain = program
    .command('retrain')
    .description(
      'Retrain on closed deals: challenger vs champion vs rules on the newest held-out leads; promote with --promote when the evidence says the challenger wins',
    )
    .requiredOption('--config <file>', 'dataset config with leads, outcomes (closed deals) and events')
    .option('--since <date>', 'train only on leads from this date on (default: all leads older than the held-out ones)')
    .option('--holdout <share>', "share of the newest leads held out (default: the config's testFraction, or 0.2)")
    .option(
      '--promote',
      'promote the challenger when it beats the champion with evidence (AUC-difference interval above zero), ranks no worse than the rules and beats chance',
    )
    .option('--force', 'with --promote: promote even without that evidence (the reasons are printed)')
    .option('--registry <dir>', 'model registry directory', defaultRegistryDir);
  publishOptions(retrain, 'with --promote: ')
    .option('--backend <name>', 'TensorFlow.js backend: auto, tfjs-node, wasm or cpu', 'auto')
    .option('--json', 'print one JSON object')
    .option('--skip-bad-rows', 'skip malformed rows and report them instead of failing')
    .option('--quiet', 'no progress on stderr')
    .action(async (opts: RetrainOpts) => {
      const [
        { z },
        { BackendChoice },
        { loadDatasetConfig },
        { formatRetrain },
        { runRetrain },
        { publishHook, redisTarget },
        { reportSkipped },
        { withPhases },
      ] = await Promise.all([
        import('zod'),
        import('../../../models/tf-backend.ts'),
        import('../../config/load-config.ts'),
        import('../../lifecycle/format-retrain.ts'),
        import('../../lifecycle/run-retrain.ts'),
        import('../../registry/publish-production.ts'),
        import('../report-skipped.ts'),
        import('../progress.ts'),
      ]);
      // A calendar date or a full ISO time, as epoch ms.
      const DateOption = z
        .string()
        .refine((s) => /^\d{4}-\d{2}-\d{2}/.test(s) && Number.isFinite(Date.parse(s)), {
          message: 'expected a date like 2026-01-31',
        })
        .transform((s) => Date.parse(s));
      const since = opts.since === undefined ? undefined : parseOption(DateOption, opts.since, '--since');
      const holdoutFraction =
        opts.holdout === undefined ? undefined : parseOption(z.coerce.number().gt(0).lt(1), opts.holdout, '--holdout');
      const backend = parseOption(BackendChoice, opts.backend, '--backend');
      const target = redisTarget(opts);
      const loaded = await loadDatasetConfig(opts.config);
      const result = await withPhases(opts.quiet, (phases) =>
        runRetrain(loaded, {
          registry: opts.registry,
          since,
          holdoutFraction,
          promote: opts.promote,
          force: opts.force,
          beforeSwitch: publishHook(target),
          backend,
          skipBadRows: opts.skipBadRows,
          phases,
        }),
      );
      const { skipped, warnings, ...summary } = result;
      reportSkipped(skipped, warnings);
      process.stdout.write(opts.json ? `${JSON.stringify(summary)}\n` : formatRetrain(result));
    });
}
