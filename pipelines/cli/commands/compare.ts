import type { Command } from 'commander';
import { chunkOption, parseChunkRows } from '../parse-option.ts';

/** `leadscore compare`: model vs rules as terminal tables (summary, tiers, agreement matrix). */
export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('Print model vs rules: summary metrics, tiers and the rule tier × model tier matrix')
    .option('--model <dir>', 'model artifact directory')
    .option('--data <file>', "score this file instead of the model's held-out rows (same schema)")
    .option('--skip-bad-rows', 'skip malformed rows and report them instead of failing')
    .option('--report-data <file>', 'compare from a ReportData JSON file instead of a model')
    .option(chunkOption.flags, chunkOption.description, chunkOption.default)
    .option('--quiet', 'no progress on stderr')
    .action(async (opts: Record<string, unknown>) => {
      const [{ formatCompare }, { loadReportData, parseReportSourceOptions }, { reportSkipped }, { phaseProgress }] =
        await Promise.all([
          import('../../report/format-compare.ts'),
          import('../../report/report-source.ts'),
          import('../report-skipped.ts'),
          import('../progress.ts'),
        ]);
      const source = parseReportSourceOptions({
        model: opts.model,
        data: opts.data,
        reportData: opts.reportData,
        skipBadRows: opts.skipBadRows === true,
      });
      const chunkRows = await parseChunkRows(String(opts.chunk));
      const phases = phaseProgress({ quiet: opts.quiet === true });
      try {
        const { data, skipped, warnings } = await loadReportData(source, { chunkRows, phases });
        phases.stop();
        reportSkipped(skipped, warnings);
        process.stdout.write(formatCompare(data));
      } finally {
        phases.stop();
      }
    });
}
