// A BullMQ worker that does nothing, the baseline of bench:serving: same Redis settings
// and concurrency as the scoring worker. argv: redisUrl queue concurrency. Prints `ready`.
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

const [url, queue, concurrency] = process.argv.slice(2);
const connection = new Redis(url!, { maxRetriesPerRequest: null });
const worker = new Worker(queue!, async () => null, { connection, concurrency: Number(concurrency) });
worker.on('error', () => {});
await worker.waitUntilReady();
process.stdout.write('ready\n');
const stop = async (): Promise<void> => {
  await worker.close();
  await connection.quit();
};
process.once('SIGTERM', () => void stop());
