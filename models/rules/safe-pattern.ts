/**
 * Rule patterns come from a file anyone in marketing ops may edit, so they are checked
 * before use: valid syntax, no back-references, no quantified group that itself contains a
 * quantifier (the `(a+)+` shape behind catastrophic backtracking).
 */

/** Text longer than this is cut before a pattern is searched in it. */
export const MAX_MATCHED_TEXT = 2_000;

/** Why `pattern` is refused, or undefined when it is acceptable. */
export function patternProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'i');
  } catch (err) {
    return `not a valid regular expression (${(err as Error).message})`;
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'back-references are not allowed';
  if (hasNestedQuantifier(pattern)) return 'a repeated group must not contain a repetition (e.g. (a+)+)';
  return undefined;
}

/** Compiles a checked pattern once: case-insensitive search. */
export function compilePattern(pattern: string): RegExp {
  const problem = patternProblem(pattern);
  if (problem) throw new Error(`pattern ${JSON.stringify(pattern)}: ${problem}`);
  return new RegExp(pattern, 'i');
}

function hasNestedQuantifier(pattern: string): boolean {
  // Walk the pattern tracking, per open group, whether it holds a quantifier.
  const stack: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') stack.push(false);
    else if (c === ')') {
      const inner = stack.pop() ?? false;
      const next = pattern[i + 1];
      const quantified = next === '*' || next === '+' || next === '{';
      if (inner && quantified) return true;
      if (inner && stack.length) stack[stack.length - 1] = true;
      if (quantified && stack.length) stack[stack.length - 1] = true;
    } else if ((c === '*' || c === '+' || c === '{') && stack.length) {
      stack[stack.length - 1] = true;
    }
  }
  return false;
}
