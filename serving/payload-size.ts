/** Default largest job payload: 16 MiB of JSON (a 5000-lead batch of rich CRM records fits). */
export const DEFAULT_MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

/** Default largest stored attributes of one lead: 64 KiB of JSON. */
export const DEFAULT_MAX_STATE_BYTES = 64 * 1024;

/**
 * The length of `value` as JSON, counting each character of a string as one byte (exact
 * for ASCII text, an under-count for other text), without building the JSON: payloads are
 * sized on the worker's hot path, where a serialisation would cost more than the scoring.
 * Stops counting once past `limit` (the result is then above it). Iterative, so a deeply
 * nested payload cannot overflow the stack.
 */
export function jsonSize(value: unknown, limit = Infinity): number {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && size <= limit) {
    const v = stack.pop();
    if (typeof v === 'string') size += v.length + 2;
    else if (typeof v === 'number') size += v === Math.trunc(v) && Math.abs(v) < 1e15 ? digits(v) : String(v).length;
    else if (typeof v === 'boolean') size += v ? 4 : 5;
    else if (v === null || v === undefined) size += 4;
    else if (Array.isArray(v)) {
      size += 2 + Math.max(0, v.length - 1);
      for (let i = 0; i < v.length; i++) stack.push(v[i]);
    } else if (typeof v === 'object') {
      size += 2;
      let keys = 0;
      for (const key in v) {
        if (!Object.hasOwn(v, key)) continue;
        size += key.length + 3;
        keys++;
        stack.push((v as Record<string, unknown>)[key]);
      }
      if (keys > 1) size += keys - 1;
    }
  }
  return size;
}

function digits(n: number): number {
  let d = n < 0 ? 2 : 1;
  for (let x = Math.abs(n); x >= 10; x = Math.floor(x / 10)) d++;
  return d;
}
