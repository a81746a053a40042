import type { Command } from 'commander';
import { registerBacktest } from './backtest.ts';
import { registerCompare } from './compare.ts';
import { registerConfig } from './config.ts';
import { registerCrossValidate } from './cross-validate.ts';
import { registerData } from './data.ts';
import { registerDemo } from './demo.ts';
import { registerDrift } from './drift.ts';
import { registerModels } from './models.ts';
import { registerReport } from './report.ts';
import { registerRetrain } from './retrain.ts';
import { registerRules } from './rules.ts';
import { registerTrain } from './train.ts';
import { registerEvaluate } from './evaluate.ts';
import { registerScore } from './score.ts';

/** Every top-level command; each file registers one command (with its subcommands). */
export const commands: ((program: Command) => void)[] = [
  registerDemo,
  registerConfig,
  registerData,
  registerTrain,
  registerEvaluate,
  registerScore,
  registerRules,
  registerReport,
  registerCompare,
  registerModels,
  registerDrift,
  registerBacktest,
  registerCrossValidate,
  registerRetrain,
];
