import { createServer, type Server } from 'node:http';

/** What `/health` reports; `ok` false answers 503. */
export interface HealthReport {
  ok: boolean;
  [key: string]: unknown;
}

/** What the metrics server serves: a prom-client registry's text, or several aggregated, and a health report. */
export interface MetricsSource {
  /** Content type of `metrics()`'s text. */
  contentType: string;
  metrics(): Promise<string>;
  health(): HealthReport | Promise<HealthReport>;
}

/**
 * Serves `GET /metrics` (Prometheus text format) and `GET /health` (JSON) on `port`
 * (0 = any free port; read it back from `port()` of the result).
 */
export async function startMetricsServer(
  source: MetricsSource,
  port: number,
  host = '0.0.0.0',
): Promise<{ server: Server; port: () => number; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405).end();
    } else if (url === '/metrics') {
      source.metrics().then(
        (text) => res.writeHead(200, { 'content-type': source.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    } else if (url === '/health') {
      Promise.resolve(source.health()).then(
        (report) =>
          res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(report)),
        (err: unknown) =>
          res
            .writeHead(503, { 'content-type': 'application/json' })
            .end(JSON.stringify({ ok: false, error: String(err) })),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    server,
    port: () => {
      const addr = server.address();
      return typeof addr === 'object' && addr ? addr.port : port;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
