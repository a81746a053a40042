import type { Command } from 'commander';

/** `leadscore compare`: model vs rules as terminal tables (summary, tiers, agreement matrix). */
export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('Print model vs rules: summary metrics, tiers and the rule tier × model tier matrix')
    .option('--model <dir>', 'model artifact directory')
    .option('--data <file>', "score this file instead of the model's held-out rows (same schema)")
    .option('--skip-bad-rows', 'skip malformed rows and report them instead of failing')
    .option('--report-data <file>', 'compare from a ReportData JSON file instead of a model')
    .action(async (opts: Record<string, unknown>) => {
      const [{ formatCompare }, { loadReportData, parseReportSourceOptions }, { reportSkipped }] = await Promise.all([
        import('../../report/format-compare.ts'),
        import('../../report/report-source.ts'),
        import('../report-skipped.ts'),
      ]);
      const source = parseReportSourceOptions({
        model: opts.model,
        data: opts.data,
        reportData: opts.reportData,
        skipBadRows: opts.skipBadRows === true,
      });
      const { data, skipped } = await loadReportData(source);
      reportSkipped(skipped);
      process.stdout.write(formatCompare(data));
    });
}
