/** The value after `--name` on a benchmark's command line, or undefined when the flag is absent. */
export function benchArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}
