import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../../spec/gateway-error.js';
import type { GatewayServices } from '../gateway-services.js';
import type { CrossOriginPolicy } from '../http/cross-origin.js';
import { readJsonBody, type BodyLimits } from '../http/read-json-body.js';
import { clientGone } from '../pipeline/execute-attempts.js';
import { serveRequest, type ApiEndpoint } from '../pipeline/serve-request.js';
import { presentedKey } from '../services/header-authenticator.js';
import { formatRouteHeader } from '../../routing/index.js';
import { toClientError } from './client-error.js';
import { Exchange } from './exchange.js';
import { shuttingDown, type InFlight } from './in-flight.js';
import { resolveRequestPolicy } from './request-policy.js';

export const crossOriginRefused = (origin: string) =>
  new GatewayError({
    status: 403,
    type: 'permission_error',
    code: 'cross_origin_refused',
    message: `Requests from web pages at ${origin.slice(0, 200)} are not allowed; list the origin in server.cors.allowedOrigins to allow them.`,
  });

/**
 * The one lifecycle of every API request: create the exchange and its record, refuse cross-site
 * pages and new work while shutting down, authenticate (failures are recorded too, without the
 * key), read the body, run the pipeline, render any error in the caller's protocol, then hand the
 * record over (a budget's reservation is settled once it is priced).
 */
export function createApiLifecycle(
  services: GatewayServices,
  inFlight: InFlight,
  crossOrigin: CrossOriginPolicy,
  limits: BodyLimits,
) {
  return async function serveApi(
    endpoint: ApiEndpoint,
    req: IncomingMessage,
    res: ServerResponse,
    startPerf: number,
  ): Promise<void> {
    const ex = new Exchange(endpoint.name, req.headers, startPerf, () => inFlight.closing);
    const { record } = ex;
    inFlight.add(ex);
    const onClose = () => {
      if (!res.writableFinished) ex.stop.abort(clientGone());
    };
    res.once('close', onClose);
    try {
      const origin = crossOrigin.check(req.headers);
      if (!origin.allowed) throw crossOriginRefused(origin.origin);
      ex.responseHeaders = origin.headers;
      if (inFlight.closing) throw shuttingDown();
      services.sink.admit();
      try {
        ex.caller = services.auth.authenticate(req.headers);
      } catch (err) {
        services.metrics.authFailure(presentedKey(req.headers) ? 'invalid' : 'missing');
        throw err;
      }
      record.keyId = ex.caller.keyId;
      record.team = ex.caller.team;
      ex.policy = resolveRequestPolicy(ex.caller, req.headers);
      record.workload = ex.policy.workload;
      record.tags = ex.policy.tags;
      const body = await readJsonBody(req, limits);
      await serveRequest(services, ex, endpoint, body, res);
    } catch (err) {
      const error = toClientError(err, services.scrubber, presentedKey(req.headers));
      if (!res.headersSent) {
        record.status = error.status;
        record.errorCode = error.code;
      }
      if (!res.headersSent && !res.destroyed) {
        const text = JSON.stringify(endpoint.renderError(error));
        const headers: Record<string, string | number> = {
          ...error.headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        };
        if (record.route) headers['x-switchyard-route'] = formatRouteHeader(record.route);
        ex.writeHead(res, error.status, headers);
        res.end(text);
      }
    } finally {
      res.off('close', onClose);
      const admission = ex.admission;
      services.sink.finish(ex.finish(), ex.detail, admission ? (cost) => admission.settle(cost) : undefined);
      inFlight.delete(ex);
    }
  };
}
