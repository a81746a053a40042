import { RE2JS } from 're2js';
import { InputError } from '../../features/errors.ts';

/**
 * Rule patterns come from a file anyone in marketing ops may edit, and are searched in
 * values callers send. They run on RE2 (re2js, pure JavaScript), whose matching time is
 * linear in the text whatever the pattern: `(a|aa)+$` cannot backtrack for minutes as it
 * does with RegExp. RE2 has no back-references or look-around; such patterns are refused.
 */

/** Text longer than this is cut before a pattern is searched in it. */
export const MAX_MATCHED_TEXT = 2_000;

/** A compiled rule pattern: whether it matches anywhere in a text, case-insensitively. */
export interface TextPattern {
  test(text: string): boolean;
}

/** Why `pattern` is refused, or undefined when it is acceptable. */
export function patternProblem(pattern: string): string | undefined {
  try {
    compileRe2(pattern);
    return undefined;
  } catch (err) {
    if (/\\[1-9]|\\k</.test(pattern)) return 'back-references are not allowed';
    if (/\(\?<?[=!]/.test(pattern)) return 'look-ahead and look-behind ((?=, (?!, (?<=, (?<!) are not supported';
    const reason = (err as Error).message.replace(/^error parsing regexp: /, '');
    return `not a valid regular expression (${reason})`;
  }
}

/** Compiles a pattern once for search (case-insensitive unless asked); throws for one patternProblem refuses. */
export function compilePattern(pattern: string, caseSensitive = false): TextPattern {
  const problem = patternProblem(pattern);
  if (problem) throw new InputError(`pattern ${JSON.stringify(pattern)}: ${problem}`);
  return compileRe2(pattern, caseSensitive);
}

function compileRe2(pattern: string, caseSensitive = false): RE2JS {
  return RE2JS.compile(pattern, caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE);
}
