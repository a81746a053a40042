/**
 * Yields what `source` yields, asking it for the next item as soon as one is handed out: the
 * next chunk's reading and DuckDB queries run (on DuckDB's threads) while the caller works on
 * this one, instead of after it. At most one item is read ahead. When the caller stops early
 * (an error, a break), the item being read is awaited and the source closed before this
 * returns, so nothing is left running on a connection the caller is about to close.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let next: Promise<IteratorResult<T>> | undefined = it.next();
  // Its failure is taken up by the await below; meanwhile it is no unhandled rejection.
  next.catch(() => {});
  try {
    for (;;) {
      const r: IteratorResult<T> = await next;
      next = undefined;
      if (r.done) return;
      next = it.next();
      next.catch(() => {});
      yield r.value;
    }
  } finally {
    if (next) {
      const pending = await next.catch(() => undefined);
      if (pending && !pending.done) await it.return?.(undefined);
    }
  }
}
