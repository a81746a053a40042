import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** Options of `formatZodError`. */
export interface FormatZodErrorOptions {
  /** Path segments put before every issue's path (`['meta']` for a field nested in a file). Default none. */
  prefix?: readonly PropertyKey[];
  /** Issues spelled out; the rest are only counted (`(and 3 more)`). Default all. */
  maxIssues?: number;
  /** What an issue without a path is called. Default `(root)`. */
  root?: string;
  /** The value that was parsed: lets a failed union be explained by the branch its keys point at. */
  value?: unknown;
  /** Writes `path: ` for an issue; default the path joined with dots. */
  where?: (path: PropertyKey[], value: unknown) => string;
  /** Chooses the union branch to explain; default the one that got furthest. */
  pickBranch?: (value: unknown, branches: Issue[][]) => Issue[] | undefined;
}

/**
 * The one way a zod error becomes text: one line naming each bad field by its path and what
 * was expected there, e.g. `label.positive: expected array, received string; training: unknown
 * key "modle"`. A failed union is explained by the branch the input was closest to, not as
 * "Invalid input".
 */
export function formatZodError(error: z.ZodError, options: FormatZodErrorOptions = {}): string {
  const lines = [...new Set(zodIssueLines(error, options))];
  const max = options.maxIssues ?? lines.length;
  const more = lines.length > max ? ` (and ${lines.length - max} more)` : '';
  return `${lines.slice(0, max).join('; ')}${more}`;
}

/** Each issue of `error` as `path: what was expected`, unions resolved to their closest branch. */
export function zodIssueLines(error: z.ZodError, options: FormatZodErrorOptions = {}): string[] {
  return error.issues.flatMap((issue) => describe(issue, [...(options.prefix ?? [])], options));
}

function describe(issue: Issue, prefix: PropertyKey[], options: FormatZodErrorOptions): string[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const raw = valueAt(options.value, path.slice((options.prefix ?? []).length));
    const branches = issue.errors;
    const allTypeMismatch = branches.every(
      (b) => b.length === 1 && b[0]!.code === 'invalid_type' && b[0]!.path.length === 0,
    );
    if (allTypeMismatch) {
      const expected = [...new Set(branches.map((b) => (b[0] as { expected: string }).expected))];
      return [`${at(path, options)}expected ${expected.join(' or ')}, received ${kindOf(raw, branches)}`];
    }
    const meant = options.pickBranch?.(raw, branches) ?? closestBranch(branches);
    if (meant) return meant.flatMap((inner) => describe(inner, path, options));
  }
  // Unknown keys at the top need no "(root): " before them.
  if (issue.code === 'unrecognized_keys' && path.length === 0 && !options.where) return [what(issue)];
  return [`${at(path, options)}${what(issue)}`];
}

function at(path: PropertyKey[], options: FormatZodErrorOptions): string {
  if (options.where) return options.where(path, options.value);
  return `${path.length ? path.map(String).join('.') : (options.root ?? '(root)')}: `;
}

function what(issue: Issue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  // "Invalid input: expected number, received string" says nothing the rest does not.
  return issue.message.replace(/^Invalid (input|option): /, '');
}

/**
 * The branch whose keys the value has (no unknown key), then the one with the fewest
 * complaints, then the one that went deepest into the value before failing.
 */
function closestBranch(branches: Issue[][]): Issue[] | undefined {
  const strange = (b: Issue[]) => (b.some((i) => i.code === 'unrecognized_keys') ? 1 : 0);
  const depth = (b: Issue[]) => Math.max(...b.map((i) => i.path.length));
  return [...branches].sort((a, b) => strange(a) - strange(b) || a.length - b.length || depth(b) - depth(a))[0];
}

function kindOf(raw: unknown, branches: Issue[][]): string {
  const message = branches[0]?.[0]?.message ?? '';
  const received = /received (\w+)/.exec(message)?.[1];
  if (received) return received;
  return raw === null ? 'null' : Array.isArray(raw) ? 'array' : typeof raw;
}

/** The part of `root` at `path`, or undefined where the path leaves it. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}
