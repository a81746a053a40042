import {
  isEventRule,
  ruleConditions,
  type AllRule,
  type AttributeRule,
  type RulesFile,
} from '../../models/rules/rules-file.ts';

/** What `leadscore rules check` reports: the rules file itself, and with a dataset, how the rules fare on it. */
export type RulesCheckSummary = ReturnType<typeof summarizeRulesFile> & {
  leads?: number;
  firing?: Record<string, number>;
  tierCounts?: Record<string, number>;
  labelled?: { auc: number; tierConversion: Record<string, number | null> };
  warnings?: string[];
};

/** The counts, columns, event types, decay, caps and tiers of a parsed rules file. */
export function summarizeRulesFile(file: RulesFile) {
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
    decay: !file.decay
      ? 'none'
      : 'halfLifeDays' in file.decay
        ? `half-life ${file.decay.halfLifeDays} days`
        : `-${file.decay.pointsLost} per ${file.decay.everyDays} days inactive`,
    caps: { fit: bounds(file.fit), engagement: bounds(file.engagement), total: bounds(file.total) },
    tiers: file.tiers.map((t) => (t.atLeast === undefined ? t.name : `${t.name} >= ${t.atLeast}`)),
  };
}

/** The `leadscore rules check` text for a summary (without the leading "FILE: ok" line). */
export function formatRulesCheck(s: RulesCheckSummary): string {
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
    lines.push(
      `  on ${s.leads} leads: ${Object.entries(s.tierCounts)
        .map(([t, n]) => `${t} ${n} (${pct(n)}${converts(t)})`)
        .join(', ')}`,
    );
    if (s.labelled) lines.push(`  ROC AUC of the total against the label: ${s.labelled.auc.toFixed(3)}`);
    lines.push('  fires for:');
    for (const [rule, n] of Object.entries(s.firing))
      lines.push(`    ${rule.padEnd(32)} ${String(n).padStart(8)}  ${pct(n)}`);
  }
  for (const w of s.warnings ?? []) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
