import type { ServerResponse } from 'node:http';
import type { Deployment } from '../../spec/deployment.js';
import { GatewayError, UpstreamError } from '../../spec/gateway-error.js';
import type { ChatCompletionRequest } from '../../spec/chat.js';
import type { Admission, GatewayServices } from '../gateway-services.js';
import { BodyError } from '../http/body-error.js';
import { newRecord } from '../new-record.js';
import type { RequestContext } from '../request-context.js';
import type { JsonEndpoint } from './json-endpoints.js';
import { withUpstreamModel } from './json-endpoints.js';
import { asGatewayError, overheadMs } from './serve-chat.js';
import { formatRouteHeader } from '../../routing/index.js';

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Failures after which the next deployment of the pool is tried. */
const POOL_FAILOVER = new Set(['connection', 'http_5xx', 'timeout', 'rate_limited']);

/**
 * Embeddings and legacy completions: not policy-routed, served by the model's pool with failover on
 * transient failures, under the same budgets and rate limits as chat. Streaming legacy completions
 * are passed through event by event.
 */
export async function serveUpstreamJson(
  services: GatewayServices,
  endpoint: JsonEndpoint,
  ctx: RequestContext,
  raw: unknown,
  res: ServerResponse,
): Promise<void> {
  const record = newRecord(ctx);
  let admission: Admission | undefined;
  let asChat: ChatCompletionRequest | undefined;
  let outputText = '';
  try {
    if (raw instanceof BodyError) throw raw.error;
    const parsed = endpoint.parse(raw);
    asChat = parsed.asChat;
    record.modelRequested = parsed.model;
    record.streamed = parsed.stream;
    const pool = services.router.pool(ctx, parsed.asChat);
    admission = await services.admission.admit(ctx, parsed.asChat, {
      candidates: pool.map((d) => ({ deployment: d.id })),
    });
    const baseHeaders = { ...admission.headers, 'x-request-id': ctx.id };
    let lastError: unknown;
    for (const deployment of pool) {
      const adapter = services.providers.get(deployment.provider);
      const body = withUpstreamModel(parsed.body, deployment);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), deployment.timeouts.totalMs);
      const onClientGone = () => controller.abort();
      ctx.clientSignal.addEventListener('abort', onClientGone, { once: true });
      const upstreamCtx = { deployment, signal: controller.signal, requestId: ctx.id };
      const started = performance.now();
      record.deploymentId = deployment.id;
      record.provider = deployment.provider;
      record.upstreamModel = deployment.model;
      services.onAttemptStart?.(ctx.id, deployment.id);
      try {
        if (parsed.stream && endpoint.stream) {
          const events = await endpoint.stream(adapter, body, upstreamCtx);
          if (!events) throw unsupported(deployment);
          ctx.upstreamWaitMs += performance.now() - started;
          res.writeHead(200, {
            ...baseHeaders,
            'content-type': 'text/event-stream; charset=utf-8',
            'cache-control': 'no-cache',
            'x-switchyard-overhead-ms': overheadMs(ctx),
          });
          for await (const event of events) {
            readUsage(record, event.usage);
            outputText += endpoint.outputText(event);
            res.write(`data: ${JSON.stringify(event)}\n\n`);
          }
          res.end('data: [DONE]\n\n');
          record.status = 200;
          ctx.route?.attempts.push({
            deployment: deployment.id,
            outcome: 'ok',
            latencyMs: round(performance.now() - started),
          });
          return;
        }
        const result = await endpoint.call(adapter, body, upstreamCtx);
        if (!result) throw unsupported(deployment);
        ctx.upstreamWaitMs += performance.now() - started;
        readUsage(record, result.body.usage);
        outputText = endpoint.outputText(result.body);
        const text = JSON.stringify(result.body);
        res.writeHead(200, {
          ...baseHeaders,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
          'x-switchyard-overhead-ms': overheadMs(ctx),
        });
        res.end(text);
        record.status = 200;
        ctx.route?.attempts.push({
          deployment: deployment.id,
          outcome: 'ok',
          latencyMs: round(performance.now() - started),
        });
        return;
      } catch (err) {
        ctx.upstreamWaitMs += performance.now() - started;
        lastError =
          controller.signal.aborted && !ctx.clientSignal.aborted && !(err instanceof UpstreamError)
            ? new UpstreamError({
                kind: 'timeout',
                deployment: deployment.id,
                message: `Deployment '${deployment.id}' did not answer within ${deployment.timeouts.totalMs} ms.`,
              })
            : err;
        const kind = lastError instanceof UpstreamError ? lastError.kind : null;
        ctx.route?.attempts.push({
          deployment: deployment.id,
          outcome: kind ?? 'error',
          latencyMs: round(performance.now() - started),
        });
        if (res.headersSent || ctx.clientSignal.aborted || kind === null || !POOL_FAILOVER.has(kind))
          throw lastError;
      } finally {
        clearTimeout(timer);
        ctx.clientSignal.removeEventListener('abort', onClientGone);
      }
    }
    throw lastError;
  } catch (err) {
    const error = asGatewayError(err);
    record.status = ctx.clientSignal.aborted ? 499 : error.status;
    record.errorCode = ctx.clientSignal.aborted ? 'client_closed_request' : error.code;
    if (!res.headersSent) {
      const text = JSON.stringify(error.toBody());
      res.writeHead(error.status, {
        ...error.headers,
        'content-type': 'application/json',
        'x-request-id': ctx.id,
        'x-switchyard-overhead-ms': overheadMs(ctx),
        ...(ctx.route ? { 'x-switchyard-route': formatRouteHeader(ctx.route) } : {}),
      });
      res.end(text);
    } else {
      record.truncated = true;
      if (!res.destroyed) res.end(`data: ${JSON.stringify(error.toBody())}\n\n`);
    }
  } finally {
    record.route = ctx.route;
    record.endedAt = Date.now();
    record.latencyMs = Math.round((performance.now() - ctx.startPerf) * 100) / 100;
    record.overheadMs = Number(overheadMs(ctx));
    services.sink.finish(record, {
      request: asChat,
      outputText,
      deployment: record.deploymentId ? services.config.deployments.get(record.deploymentId) : undefined,
    });
    admission?.settle(record.costUsd);
  }
}

function readUsage(
  record: { inputTokens: number | null; outputTokens: number | null; cachedTokens: number | null },
  usage: unknown,
): void {
  if (!usage || typeof usage !== 'object') return;
  const u = usage as {
    prompt_tokens?: number;
    completion_tokens?: number;
    prompt_tokens_details?: { cached_tokens?: number };
  };
  if (typeof u.prompt_tokens === 'number') record.inputTokens = u.prompt_tokens;
  record.outputTokens = typeof u.completion_tokens === 'number' ? u.completion_tokens : 0;
  record.cachedTokens = u.prompt_tokens_details?.cached_tokens ?? 0;
}

function unsupported(deployment: Deployment): GatewayError {
  return new GatewayError({
    status: 400,
    type: 'invalid_request_error',
    code: 'unsupported_endpoint',
    message: `Deployment '${deployment.id}' (provider ${deployment.provider}) does not support this endpoint.`,
  });
}
