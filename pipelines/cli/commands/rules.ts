import type { Command } from 'commander';
import { registerRulesCheck } from './rules-check.ts';
import { registerRulesExplain } from './rules-explain.ts';
import { registerRulesFromModel } from './rules-from-model.ts';
import { registerRulesScore } from './rules-score.ts';
import { registerRulesTune } from './rules-tune.ts';

/** `leadscore rules ...`: marketing's points system, one subcommand per file. */
export function registerRules(program: Command): void {
  const rules = program.command('rules').description('Check rules files and score leads with them');
  registerRulesCheck(rules);
  registerRulesScore(rules);
  registerRulesExplain(rules);
  registerRulesTune(rules);
  registerRulesFromModel(rules);
}
