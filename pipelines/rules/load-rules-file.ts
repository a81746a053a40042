import path from 'node:path';
import type { RulesFile } from '../../models/rules/rules-file.ts';
import { parseRulesFile } from '../../models/rules/parse-rules-file.ts';
import { readStructuredFile } from '../config/load-config.ts';

/** Reads and validates a rules file (YAML or JSON); errors name the file, the rule and the field. */
export async function loadRulesFile(file: string): Promise<RulesFile> {
  const value = await readStructuredFile(path.resolve(file));
  return parseRulesFile(value, file);
}
