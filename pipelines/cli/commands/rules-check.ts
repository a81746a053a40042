import type { Command } from 'commander';
import { InputError } from '../../../features/errors.ts';
import { compileRules } from '../../../models/rules/compile-rules.ts';
import { lintRules } from '../../../models/rules/lint-rules.ts';
import { isEventRule, ruleConditions, type AllRule, type AttributeRule, type RulesFile } from '../../../models/rules/rules-file.ts';
import { loadDatasetConfig } from '../../config/load-config.ts';
import { loadRulesFile } from '../../rules/load-rules-file.ts';
import { ruleCoverage } from '../../rules/rule-coverage.ts';
import { parseAsOf } from './rules-score.ts';

interface CheckOptions {
  json?: boolean;
  strict?: boolean;
  asOf?: string;
  config?: string;
  data?: string;
}

/** `leadscore rules check FILE [--config DATASET]`: validates a rules file and prints what it scores. */
export function registerRulesCheck(rules: Command): void {
  rules
    .command('check')
    .description('Validate a rules file (YAML or JSON); an error names the rule and the field (exit 2)')
    .argument('<file>', 'rules file')
    .option('--config <file>', 'also try the rules on this dataset: how often each rule fires, tier sizes (and conversion when labelled), warnings for unknown columns and values')
    .option('--data <file>', "with --config: read this leads file instead of the config's")
    .option('--as-of <date>', "with --config: scoring time, ISO date or date-time (default: the config's asOf, else now)")
    .option('--json', 'print the summary as one JSON object')
    .option('--strict', 'with --config: exit 2 when there are warnings (for CI)')
    .action(async (file: string, opts: CheckOptions) => {
      const parsed = await loadRulesFile(file);
      compileRules(parsed);
      const summary: Record<string, unknown> = summarize(parsed);
      if (opts.config) {
        const asOf = opts.asOf === undefined ? undefined : parseAsOf(opts.asOf);
        const coverage = await ruleCoverage(await loadDatasetConfig(opts.config), file, { data: opts.data, asOf });
        summary.leads = coverage.leads;
        summary.firing = coverage.firing;
        summary.tierCounts = coverage.tierCounts;
        if (coverage.labelled) summary.labelled = coverage.labelled;
        summary.warnings = [...lintRules(parsed, coverage.frame, coverage.eventTypes), ...coverage.warnings];
      }
      process.stdout.write(opts.json ? `${JSON.stringify(summary)}\n` : `${file}: ok\n${describe(summary as Summary)}\n`);
      const warnings = (summary.warnings as string[] | undefined) ?? [];
      if (opts.strict && warnings.length > 0) {
        throw new InputError(`${file}: ${warnings.length} warning${warnings.length > 1 ? 's' : ''} (--strict): ${warnings[0]}`);
      }
    });
}

type Summary = ReturnType<typeof summarize> & {
  leads?: number;
  firing?: Record<string, number>;
  tierCounts?: Record<string, number>;
  labelled?: { auc: number; tierConversion: Record<string, number | null> };
  warnings?: string[];
};

function summarize(file: RulesFile) {
  const attribute = file.rules.filter((r): r is AttributeRule | AllRule => !isEventRule(r));
  const events = file.rules.filter(isEventRule);
  const bounds = (c?: { min?: number; max?: number }) => (c ? `${c.min ?? '-inf'}..${c.max ?? 'inf'}` : 'uncapped');
  return {
    name: file.name,
    rules: file.rules.length,
    fitRules: attribute.filter((r) => r.score === 'fit').length,
    engagementAttributeRules: attribute.filter((r) => r.score === 'engagement').length,
    eventRules: events.length,
    negativeRules: file.rules.filter((r) => r.points < 0).length,
    columns: [...new Set(attribute.flatMap((r) => ruleConditions(r).map((c) => c.column)))],
    eventTypes: [...new Set(events.flatMap((r) => (Array.isArray(r.event) ? r.event : [r.event])))],
    decay: !file.decay ? 'none' : 'halfLifeDays' in file.decay ? `half-life ${file.decay.halfLifeDays} days` : `-${file.decay.pointsLost} per ${file.decay.everyDays} days inactive`,
    caps: { fit: bounds(file.fit), engagement: bounds(file.engagement), total: bounds(file.total) },
    tiers: file.tiers.map((t) => (t.atLeast === undefined ? t.name : `${t.name} >= ${t.atLeast}`)),
  };
}

function describe(s: Summary): string {
  const lines = [
    `  name: ${s.name}`,
    `  rules: ${s.rules} (${s.fitRules} fit, ${s.engagementAttributeRules} engagement on attributes, ${s.eventRules} on events; ${s.negativeRules} negative)`,
    `  columns: ${s.columns.join(', ') || '(none)'}`,
    `  event types: ${s.eventTypes.join(', ') || '(none)'}`,
    `  decay: ${s.decay}`,
    `  caps: fit ${s.caps.fit}, engagement ${s.caps.engagement}, total ${s.caps.total}`,
    `  tiers: ${s.tiers.join(', ')}`,
  ];
  if (s.leads !== undefined && s.firing && s.tierCounts) {
    const pct = (n: number) => `${((100 * n) / Math.max(1, s.leads!)).toFixed(1)}%`;
    const converts = (t: string) => {
      const rate = s.labelled?.tierConversion[t];
      return rate === undefined || rate === null ? '' : `, converts ${(100 * rate).toFixed(1)}%`;
    };
    lines.push(`  on ${s.leads} leads: ${Object.entries(s.tierCounts).map(([t, n]) => `${t} ${n} (${pct(n)}${converts(t)})`).join(', ')}`);
    if (s.labelled) lines.push(`  ROC AUC of the total against the label: ${s.labelled.auc.toFixed(3)}`);
    lines.push('  fires for:');
    for (const [rule, n] of Object.entries(s.firing)) lines.push(`    ${rule.padEnd(32)} ${String(n).padStart(8)}  ${pct(n)}`);
  }
  for (const w of s.warnings ?? []) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
