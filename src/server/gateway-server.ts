import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError, forbidden, notFound } from '../spec/gateway-error.js';
import type { Endpoint } from '../spec/request-record.js';
import type { GatewayServices } from './gateway-services.js';
import { asGatewayError, serveChat } from './handlers/serve-chat.js';
import { serveModels } from './handlers/serve-models.js';
import { completionsEndpoint, embeddingsEndpoint } from './handlers/json-endpoints.js';
import { serveUpstreamJson } from './handlers/serve-upstream-json.js';
import { BodyError } from './http/body-error.js';
import { readJsonBody } from './http/read-json-body.js';
import { sendJson } from './http/send-json.js';
import { chatInbound } from './inbound/chat-inbound.js';
import { messagesInbound } from './inbound/messages-inbound.js';
import { responsesInbound } from './inbound/responses-inbound.js';
import type { InboundProtocol } from './protocol.js';
import { headerValue, type RequestContext } from './request-context.js';

export interface RunningGateway {
  server: Server;
  url: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish (bounded by the grace period), flushes records. */
  close(): Promise<void>;
}

const CHAT_ROUTES: Record<string, InboundProtocol<never>> = {
  '/v1/chat/completions': chatInbound as InboundProtocol<never>,
  '/v1/responses': responsesInbound as InboundProtocol<never>,
  '/v1/messages': messagesInbound as InboundProtocol<never>,
};

export function createGatewayHandler(services: GatewayServices) {
  const maxBody = services.config.server.maxBodyBytes;

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startPerf = performance.now();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    try {
      if (req.method === 'GET') {
        if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
        if (path === '/readyz') {
          const ok = await services.records.writable();
          return sendJson(res, ok ? 200 : 503, {
            status: ok ? 'ready' : 'store not writable',
            config: services.config.source,
          });
        }
        if (path === '/metrics') {
          const text = services.metricsText();
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
          return void res.end(text);
        }
      }
      const caller = services.auth.authenticate(req.headers);
      if (path.startsWith('/admin/')) {
        if (!caller.isMaster)
          throw forbidden('Admin endpoints need the master key (SWITCHYARD_MASTER_KEY).', 'admin_only');
        const full = new URL(url, 'http://gateway');
        for (const api of services.admin) {
          const answer = await api.handle(req.method ?? 'GET', full);
          if (answer) {
            if (answer.contentType) {
              res.writeHead(answer.status, { 'content-type': answer.contentType });
              return void res.end(String(answer.body));
            }
            return sendJson(res, answer.status, answer.body);
          }
        }
        throw notFound(`Unknown admin endpoint ${req.method} ${path}.`, 'unknown_url');
      }
      if (req.method === 'GET' && (path === '/v1/models' || path === '/models')) {
        return serveModels(services.config, res, { 'x-request-id': randomUUID() });
      }
      const protocol = CHAT_ROUTES[path];
      const endpoint: Endpoint | undefined = protocol
        ? protocol.endpoint
        : path === '/v1/completions'
          ? 'completions'
          : path === '/v1/embeddings'
            ? 'embeddings'
            : undefined;
      if (!endpoint) throw notFound(`Unknown request URL: ${req.method} ${path}.`, 'unknown_url');
      if (req.method !== 'POST') {
        throw new GatewayError({
          status: 405,
          type: 'invalid_request_error',
          code: 'method_not_allowed',
          message: `${path} accepts POST, not ${req.method}.`,
          headers: { allow: 'POST' },
        });
      }
      const client = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished) client.abort();
      });
      const ctx: RequestContext = {
        id: `req_${randomUUID().replaceAll('-', '')}`,
        endpoint,
        startedAtMs: Date.now(),
        startPerf,
        headers: req.headers,
        caller,
        workload: headerValue(req.headers, 'x-switchyard-workload') ?? caller.workload,
        clientSignal: client.signal,
        upstreamWaitMs: 0,
        route: null,
      };
      let body: unknown;
      try {
        body = await readJsonBody(req, maxBody);
      } catch (err) {
        body = new BodyError(err);
      }
      if (protocol) return await serveChat(services, protocol, ctx, body, res);
      return await serveUpstreamJson(
        services,
        endpoint === 'embeddings' ? embeddingsEndpoint : completionsEndpoint,
        ctx,
        body,
        res,
      );
    } catch (err) {
      const error = asGatewayError(err);
      if (res.headersSent) return void res.destroy();
      const headers: Record<string, string | number> = {
        ...error.headers,
        'x-request-id': `req_${randomUUID().replaceAll('-', '')}`,
        'x-switchyard-overhead-ms': (performance.now() - startPerf).toFixed(3),
      };
      if (path === '/v1/messages')
        return sendJson(res, error.status, messagesInbound.renderError(error), headers);
      return sendJson(res, error.status, error.toBody(), headers);
    }
  };
}

export async function startGatewayServer(
  services: GatewayServices,
  port?: number,
  host?: string,
): Promise<RunningGateway> {
  const handle = createGatewayHandler(services);
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
    void handle(req, res);
  });
  const listenPort = port ?? services.config.server.port;
  const listenHost = host ?? services.config.server.host;
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
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const grace = setTimeout(() => server.closeAllConnections(), services.config.server.shutdownGraceMs);
        grace.unref();
        await closed;
        clearTimeout(grace);
        await services.close();
      })();
      return closing;
    },
  };
}
