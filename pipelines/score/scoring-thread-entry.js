// Entry point of the scoring thread (see scoring-thread.ts) when `score` runs from the
// TypeScript sources: a thread starts without the parent's TypeScript loader, so it
// registers its own first.
import { register } from 'tsx/esm/api';

register();
await import('./scoring-thread-main.ts');
