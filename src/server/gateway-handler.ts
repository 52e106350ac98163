import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError, forbidden, notFound } from '../spec/gateway-error.js';
import { API_ENDPOINTS } from './endpoints/api-endpoints.js';
import { createModelCatalogue } from './endpoints/models-endpoint.js';
import type { GatewayServices } from './gateway-services.js';
import { CrossOriginPolicy } from './http/cross-origin.js';
import { sendJson } from './http/send-json.js';
import { toClientError } from './lifecycle/client-error.js';
import type { InFlight } from './lifecycle/in-flight.js';
import { createApiLifecycle, crossOriginRefused } from './lifecycle/serve-api.js';
import { randomUUID } from 'node:crypto';

const MODELS_PREFIX = '/v1/models/';
/** Health, readiness and metrics: read-only, answered without a key. */
const OPERATIONAL = new Set(['/healthz', '/readyz', '/metrics']);

const adminDisabled = () =>
  forbidden(
    'The admin API is off: it needs the master key, and none is set. Start the gateway with SWITCHYARD_MASTER_KEY.',
    'admin_disabled',
  );

const methodNotAllowed = (path: string, method: string | undefined, allow: string) =>
  new GatewayError({
    status: 405,
    type: 'invalid_request_error',
    code: 'method_not_allowed',
    message: `${path} accepts ${allow}, not ${method}.`,
    headers: { allow },
  });

/**
 * Dispatches every HTTP request: operational endpoints (health, readiness, metrics), the admin API
 * (master key only), the model list, and the API endpoints, which all run the one lifecycle.
 */
export function createGatewayHandler(services: GatewayServices, inFlight: InFlight) {
  const server = services.config.server;
  const crossOrigin = new CrossOriginPolicy(server.cors.allowedOrigins);
  const serveApi = createApiLifecycle(services, inFlight, crossOrigin, {
    maxBytes: server.maxBodyBytes,
    maxDepth: server.maxJsonDepth,
  });
  const models = createModelCatalogue(services.config, services.providers);

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startPerf = performance.now();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const endpoint = API_ENDPOINTS.get(path);
    if (endpoint && req.method === 'POST') return serveApi(endpoint, req, res, startPerf);
    const closing = inFlight.closing;
    const headers: Record<string, string> = { 'x-request-id': `req_${randomUUID().replaceAll('-', '')}` };
    if (closing) headers.connection = 'close';
    try {
      if (req.method === 'GET') {
        if (path === '/healthz') return sendJson(res, 200, { status: 'ok' }, headers);
        if (path === '/readyz') {
          const ok = !closing && (await services.records.writable());
          return sendJson(
            res,
            ok ? 200 : 503,
            {
              status: closing ? 'shutting down' : ok ? 'ready' : 'store not writable',
              config: services.config.source,
            },
            headers,
          );
        }
        if (path === '/metrics') {
          const text = services.metricsText();
          res.writeHead(200, { ...headers, 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
          return void res.end(text);
        }
      }
      if (OPERATIONAL.has(path)) throw methodNotAllowed(path, req.method, 'GET');
      const origin = crossOrigin.check(req.headers);
      if (!origin.allowed) throw crossOriginRefused(origin.origin);
      Object.assign(headers, origin.headers);
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
        res.writeHead(204, { ...headers, ...crossOrigin.preflight(req.headers, origin.headers) });
        return void res.end();
      }
      if (endpoint) throw methodNotAllowed(path, req.method, 'POST');
      if (path.startsWith('/admin/')) return await serveAdmin(req, res, path, url, headers);
      if (path === '/v1/models' || path === '/models' || path.startsWith(MODELS_PREFIX)) {
        if (req.method !== 'GET') throw methodNotAllowed(path, req.method, 'GET');
        services.auth.authenticate(req.headers);
        if (path.startsWith(MODELS_PREFIX)) {
          const id = decodeURIComponent(path.slice(MODELS_PREFIX.length));
          return sendJson(res, 200, await models.retrieve(id, headers['x-request-id']), headers);
        }
        return sendJson(res, 200, await models.list(headers['x-request-id']), headers);
      }
      throw notFound(`Unknown request URL: ${req.method} ${path}.`, 'unknown_url');
    } catch (err) {
      if (res.headersSent) return void res.destroy();
      const error = toClientError(err, services.scrubber);
      const body = endpoint ? endpoint.renderError(error) : error.toBody();
      return sendJson(res, error.status, body, { ...error.headers, ...headers });
    }
  };

  async function serveAdmin(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    url: string,
    headers: Record<string, string>,
  ): Promise<void> {
    if (!services.adminEnabled) throw adminDisabled();
    const caller = services.auth.authenticate(req.headers);
    if (!caller.isMaster)
      throw forbidden('Admin endpoints need the master key (SWITCHYARD_MASTER_KEY).', 'admin_only');
    const full = new URL(url, 'http://gateway');
    for (const api of services.admin) {
      const answer = await api.handle(req.method ?? 'GET', full);
      if (answer) {
        if (answer.contentType) {
          res.writeHead(answer.status, { ...headers, 'content-type': answer.contentType });
          return void res.end(String(answer.body));
        }
        return sendJson(res, answer.status, answer.body, headers);
      }
    }
    throw notFound(`Unknown admin endpoint ${req.method} ${path}.`, 'unknown_url');
  }
}
