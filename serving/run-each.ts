/**
 * Runs each step in order, every one even when a step before it failed, then throws the
 * first failure: a shutdown that stops at its first error leaves connections, timers and
 * servers behind. BullMQ's Worker.close chains its steps with `finally` for the same reason.
 */
export async function runEach(steps: readonly (() => unknown)[]): Promise<void> {
  let failure: { error: unknown } | undefined;
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
}
