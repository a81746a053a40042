import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Field paths censored in every log line. The worker never logs payloads, but an error
 * object or a future log call might carry one: lead attributes hold emails and names.
 */
export const REDACTED_PATHS = [
  'attributes',
  '*.attributes',
  'lead',
  '*.lead',
  'leads',
  '*.leads',
  'data',
  '*.data',
  'event.properties',
  'password',
  '*.password',
];

/**
 * The worker's structured logger (JSON lines). `level` defaults to `info`;
 * `destination` defaults to stdout.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      name: 'leadscore-serving',
      level: options.level ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    options.destination,
  );
}
