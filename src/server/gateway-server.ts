import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayHandler } from './gateway-handler.js';
import type { GatewayServices } from './gateway-services.js';
import { answerClientError } from './http/answer-client-error.js';
import { InFlight } from './lifecycle/in-flight.js';

export interface RunningGateway {
  server: Server;
  url: string;
  port: number;
  /** Requests being served right now. */
  readonly inFlight: number;
  /** Every record handed over so far priced and stored (for tests and admin reads). */
  flushRecords(): Promise<void>;
  /**
   * Stops gracefully: readiness turns false, new requests (kept-alive connections included) are
   * refused with 503 and `connection: close`, requests in flight finish up to the grace period and
   * the rest are cut and recorded as cut, then the records are flushed and the store closed.
   */
  close(): Promise<void>;
}

/** How often Node checks connections against the header and request timeouts. */
const CONNECTION_CHECK_INTERVAL_MS = 1_000;

export async function startGatewayServer(
  services: GatewayServices,
  port?: number,
  host?: string,
): Promise<RunningGateway> {
  const inFlight = new InFlight();
  const handle = createGatewayHandler(services, inFlight);
  const cfg = services.config.server;
  const server = createServer(
    {
      keepAliveTimeout: cfg.keepAliveTimeoutMs,
      headersTimeout: cfg.headersTimeoutMs,
      requestTimeout: cfg.requestTimeoutMs,
      connectionsCheckingInterval: CONNECTION_CHECK_INTERVAL_MS,
    },
    (req, res) => {
      void handle(req, res);
    },
  );
  server.maxConnections = cfg.maxConnections;
  server.on('clientError', answerClientError);
  const listenPort = port ?? cfg.port;
  const listenHost = host ?? cfg.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, listenHost, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const displayHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    server,
    port: address.port,
    url: `http://${displayHost}:${address.port}`,
    get inFlight() {
      return inFlight.size;
    },
    flushRecords: () => services.sink.flush(),
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await inFlight.drain(cfg.shutdownGraceMs);
        server.closeAllConnections();
        await closed;
        await services.close();
      })();
      return closing;
    },
  };
}
