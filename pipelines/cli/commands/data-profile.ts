import type { Command } from 'commander';

/** `leadscore data profile`: rows, label rate, per-column summary and warnings. */
export function registerDataProfile(data: Command): void {
  data
    .command('profile')
    .description('Profile a data set: rows, label rate, columns, warnings (identifiers, constants, leak suspects)')
    .requiredOption('--config <file>', 'dataset config (YAML or JSON)')
    .option('--data <file>', "read this file instead of the config's leads file (same schema)")
    .option('--json', 'print one JSON object')
    .option('--skip-bad-rows', 'skip malformed rows and report them instead of failing')
    .action(async (opts: { config: string; data?: string; json?: boolean; skipBadRows?: boolean }) => {
      const [{ loadDatasetConfig }, { formatProfile }, { runProfile }, { reportSkipped }] = await Promise.all([
        import('../../config/load-config.ts'),
        import('../../profile/format-profile.ts'),
        import('../../profile/run-profile.ts'),
        import('../report-skipped.ts'),
      ]);
      const loaded = await loadDatasetConfig(opts.config);
      const { skipped, loadWarnings, ...profile } = await runProfile(loaded, {
        data: opts.data,
        skipBadRows: opts.skipBadRows,
      });
      reportSkipped(skipped, loadWarnings);
      process.stdout.write(opts.json ? `${JSON.stringify({ ...profile, skipped })}\n` : formatProfile(profile));
    });
}
