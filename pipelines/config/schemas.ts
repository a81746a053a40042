import type { z } from 'zod';
import { RulesFile } from '../../models/rules/rules-file.ts';

/** Other config files whose JSON Schema `leadscore config schema` can print. */
export const extraSchemas: { rules?: z.ZodType } = { rules: RulesFile };
