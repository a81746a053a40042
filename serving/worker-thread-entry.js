// Entry point of a worker thread of `leadscore serve --threads N` (see worker-pool.ts): a
// thread starts without the parent's TypeScript loader, so it registers its own first.
import { register } from 'tsx/esm/api';

register();
await import('./worker-thread.ts');
