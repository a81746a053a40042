// Entry point of a histogram worker thread (see histogram-threads.ts) when gradient boosting
// runs from the TypeScript sources: a thread starts without the parent's TypeScript loader,
// so it registers its own first.
import { register } from 'tsx/esm/api';

register();
await import('./histogram-thread.ts');
