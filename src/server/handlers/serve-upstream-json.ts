import type { ServerResponse } from 'node:http';
import type { Deployment } from '../../spec/deployment.js';
import { GatewayError, invalidRequest, UpstreamError } from '../../spec/gateway-error.js';
import type { JsonResult, UpstreamCallContext } from '../../spec/provider-adapter.js';
import type { GatewayServices } from '../gateway-services.js';
import { newRecord } from '../new-record.js';
import type { RequestContext } from '../request-context.js';
import { asGatewayError, overheadMs } from './serve-chat.js';

type Call = (deployment: Deployment, ctx: UpstreamCallContext) => Promise<JsonResult> | undefined;

/**
 * Embeddings and legacy completions: not policy-routed, served by the model's pool with failover on
 * connection errors and 5xx. Streaming legacy completions are passed through event by event.
 */
export async function serveUpstreamJson(
  services: GatewayServices,
  ctx: RequestContext,
  body: unknown,
  res: ServerResponse,
  call: Call,
  streamCall?: (
    deployment: Deployment,
    ctx: UpstreamCallContext,
  ) => Promise<AsyncIterable<Record<string, unknown>>> | undefined,
): Promise<void> {
  const record = newRecord(ctx);
  try {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw invalidRequest('The request body must be a JSON object.');
    const model = (body as { model?: unknown }).model;
    if (typeof model !== 'string' || model.length === 0)
      throw invalidRequest("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
    record.modelRequested = model;
    const stream = (body as { stream?: unknown }).stream === true;
    record.streamed = stream;
    const pool = services.router.pool(model);
    let lastError: unknown;
    for (const deployment of pool) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), deployment.timeouts.totalMs);
      const upstreamCtx = {
        deployment,
        signal: AbortSignal.any([ctx.clientSignal, controller.signal]),
        requestId: ctx.id,
      };
      const started = performance.now();
      record.deploymentId = deployment.id;
      record.provider = deployment.provider;
      record.upstreamModel = deployment.model;
      try {
        if (stream && streamCall) {
          const events = await streamCall(deployment, upstreamCtx);
          if (!events) throw unsupported(deployment);
          ctx.upstreamWaitMs += performance.now() - started;
          res.writeHead(200, {
            'content-type': 'text/event-stream; charset=utf-8',
            'cache-control': 'no-cache',
            'x-request-id': ctx.id,
            'x-switchyard-overhead-ms': overheadMs(ctx),
          });
          for await (const event of events) {
            const usage = event.usage as { prompt_tokens?: number; completion_tokens?: number } | undefined;
            if (usage) {
              record.inputTokens = usage.prompt_tokens ?? null;
              record.outputTokens = usage.completion_tokens ?? null;
            }
            res.write(`data: ${JSON.stringify(event)}\n\n`);
          }
          res.end('data: [DONE]\n\n');
          record.status = 200;
          return;
        }
        const result = await call(deployment, upstreamCtx);
        if (!result) throw unsupported(deployment);
        ctx.upstreamWaitMs += performance.now() - started;
        const usage = result.body.usage as { prompt_tokens?: number; completion_tokens?: number } | undefined;
        record.inputTokens = usage?.prompt_tokens ?? null;
        record.outputTokens = usage?.completion_tokens ?? 0;
        const text = JSON.stringify(result.body);
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
          'x-request-id': ctx.id,
          'x-switchyard-overhead-ms': overheadMs(ctx),
        });
        res.end(text);
        record.status = 200;
        return;
      } catch (err) {
        ctx.upstreamWaitMs += performance.now() - started;
        lastError =
          controller.signal.aborted && !ctx.clientSignal.aborted
            ? new UpstreamError({
                kind: 'timeout',
                deployment: deployment.id,
                message: `Deployment '${deployment.id}' timed out.`,
              })
            : err;
        const kind = lastError instanceof UpstreamError ? lastError.kind : null;
        if (res.headersSent || (kind !== 'connection' && kind !== 'http_5xx' && kind !== 'timeout'))
          throw lastError;
      } finally {
        clearTimeout(timer);
      }
    }
    throw lastError;
  } catch (err) {
    const error = asGatewayError(err);
    record.status = error.status;
    record.errorCode = error.code;
    if (!res.headersSent) {
      const text = JSON.stringify(error.toBody());
      res.writeHead(error.status, {
        ...error.headers,
        'content-type': 'application/json',
        'x-request-id': ctx.id,
        'x-switchyard-overhead-ms': overheadMs(ctx),
      });
      res.end(text);
    } else {
      record.truncated = true;
      if (!res.destroyed) res.end(`data: ${JSON.stringify(error.toBody())}\n\n`);
    }
  } finally {
    record.endedAt = Date.now();
    record.latencyMs = Math.round((performance.now() - ctx.startPerf) * 100) / 100;
    record.overheadMs = Number(overheadMs(ctx));
    services.sink.finish(record, {
      deployment: record.deploymentId ? services.config.deployments.get(record.deploymentId) : undefined,
    });
  }
}

function unsupported(deployment: Deployment): GatewayError {
  return new GatewayError({
    status: 400,
    type: 'invalid_request_error',
    code: 'unsupported_endpoint',
    message: `Deployment '${deployment.id}' (provider ${deployment.provider}) does not support this endpoint.`,
  });
}
