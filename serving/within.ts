/** `promise`, or a rejection with `error()` once `ms` have passed. */
export function within<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(error()), ms)));
  // A rejection after the time is up has no one waiting for it any more.
  promise.catch(ignore);
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Connection trouble surfaces on the calls; listeners with this keep it from ending the process. */
export function ignore(): void {}
