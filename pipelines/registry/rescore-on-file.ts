import path from 'node:path';
import { loadModelDir } from '../evaluate/load-model.ts';
import { runEvaluate } from '../evaluate/run-evaluate.ts';
import type { ScoreOnSameData } from './promotion-check.ts';

/**
 * Promotion evidence from re-scoring: each version is loaded and evaluated (as
 * `leadscore evaluate --data FILE` does) on every row of the same labelled file.
 */
export function rescoreOnFile(file: string, options: { skipBadRows?: boolean } = {}): ScoreOnSameData {
  return {
    data: path.basename(file),
    auc: async (version) => {
      const m = await loadModelDir(version.dir);
      try {
        return (await runEvaluate(m, { data: file, skipBadRows: options.skipBadRows })).comparison.model.auc;
      } finally {
        m.model.dispose();
      }
    },
  };
}
