import type { ServerResponse } from 'node:http';
import type { ChatCompletionChunk, ChatCompletionRequest } from '../../spec/chat.js';
import { GatewayError, UpstreamError } from '../../spec/gateway-error.js';
import type { RequestRecord } from '../../spec/request-record.js';
import type { Admission, GatewayServices } from '../gateway-services.js';
import { ChatTally } from '../pipeline/chat-tally.js';
import { executeChat, ExecutionFailed, type StartedChatStream } from '../pipeline/execute-chat.js';
import { explainRoute, formatRouteHeader, type RoutePlan } from '../../routing/index.js';
import type { RouteAttempt } from '../../spec/request-record.js';
import { BodyError } from '../http/body-error.js';
import type { InboundProtocol } from '../protocol.js';
import type { RequestContext } from '../request-context.js';
import { newRecord } from '../new-record.js';
import { estimateUsage } from '../estimate-usage.js';

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * Serves one chat-shaped request (chat completions, Responses, Anthropic Messages) end to end:
 * route, admit, execute with fallback, render in the client's protocol, and record.
 */
export async function serveChat<O>(
  services: GatewayServices,
  protocol: InboundProtocol<O>,
  ctx: RequestContext,
  body: unknown,
  res: ServerResponse,
): Promise<void> {
  const record = newRecord(ctx);
  let chat: ChatCompletionRequest | undefined;
  let plan: RoutePlan | undefined;
  let attempts: RouteAttempt[] = [];
  let redacted: number | undefined;
  let admission: Admission | undefined;
  const tally = new ChatTally();
  try {
    if (body instanceof BodyError) throw body.error;
    const parsed = protocol.parse(body);
    chat = parsed.chat;
    record.modelRequested = chat.model;
    record.streamed = chat.stream === true;
    plan = services.router.plan(ctx, chat);
    admission = await services.admission.admit(ctx, chat, plan);
    const execution = await executeChat(services, ctx, chat, plan);
    attempts = execution.attempts;
    redacted = execution.redacted;
    ctx.route = explainRoute(plan, attempts, redacted);
    const outcome = execution.outcome;
    record.deploymentId = outcome.deployment.id;
    record.provider = outcome.deployment.provider;
    record.upstreamModel = outcome.deployment.model;
    const logBodies = plan.logBodies ?? outcome.deployment.logBodies;
    if (logBodies) record.requestBody = JSON.stringify(body);
    const headers = responseHeaders(ctx, admission);

    if (outcome.kind === 'completion') {
      const completion = outcome.completion;
      tally.observeCompletion(completion);
      const rendered = protocol.renderCompletion(completion, parsed.original);
      const text = JSON.stringify(rendered);
      headers['x-switchyard-overhead-ms'] = overheadMs(ctx);
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(text));
      res.writeHead(200, headers);
      res.end(text);
      record.status = 200;
      if (logBodies) record.responseBody = text;
    } else {
      await pipeStream(protocol, parsed.original, chat, outcome, ctx, res, headers, tally, record, logBodies);
    }
  } catch (thrown) {
    let err = thrown;
    if (thrown instanceof ExecutionFailed) {
      attempts = thrown.attempts;
      err = thrown.error;
    }
    if (plan) ctx.route = explainRoute(plan, attempts, redacted);
    const error = asGatewayError(err);
    record.status = error.status;
    record.errorCode = error.code;
    if (!res.headersSent && !res.destroyed) {
      const headers: Record<string, string> = { ...error.headers };
      if (ctx.route) headers['x-switchyard-route'] = formatRouteHeader(ctx.route);
      headers['x-switchyard-overhead-ms'] = overheadMs(ctx);
      headers['x-request-id'] = ctx.id;
      const text = JSON.stringify(protocol.renderError(error));
      headers['content-type'] = 'application/json';
      res.writeHead(error.status, headers);
      res.end(text);
    }
  } finally {
    fillUsage(record, tally, chat);
    record.finishReason = record.finishReason ?? tally.finishReason;
    record.route = ctx.route;
    record.endedAt = Date.now();
    record.latencyMs = round(performance.now() - ctx.startPerf);
    if (record.overheadMs === null) record.overheadMs = Number(overheadMs(ctx));
    services.sink.finish(record, {
      request: chat,
      outputText: tally.outputText(),
      deployment: record.deploymentId ? services.config.deployments.get(record.deploymentId) : undefined,
    });
    admission?.settle(record.costUsd);
  }
}

async function pipeStream<O>(
  protocol: InboundProtocol<O>,
  original: O,
  chat: ChatCompletionRequest,
  stream: StartedChatStream,
  ctx: RequestContext,
  res: ServerResponse,
  headers: Record<string, string>,
  tally: ChatTally,
  record: RequestRecord,
  logBodies: boolean,
): Promise<void> {
  const renderer = protocol.createStreamRenderer(original, chat);
  const transcript: string[] | null = logBodies ? [] : null;
  const write = (text: string) => {
    if (text.length === 0 || res.destroyed) return true;
    transcript?.push(text);
    return res.write(text);
  };
  const emit = (raw: ChatCompletionChunk) => {
    const chunk = stream.restoreChunk(raw);
    tally.observeChunk(chunk);
    return write(renderer.chunk(chunk));
  };
  record.ttftMs = round(performance.now() - ctx.startPerf);
  headers['x-switchyard-overhead-ms'] = overheadMs(ctx);
  record.overheadMs = Number(headers['x-switchyard-overhead-ms']);
  res.writeHead(200, { ...SSE_HEADERS, ...headers });
  const onClose = () => {
    if (ctx.clientSignal.aborted) stream.settle({ ok: false, abandoned: true });
  };
  res.once('close', onClose);
  try {
    for (const chunk of stream.head) emit(chunk);
    while (true) {
      const next = await stream.rest.next();
      if (next.done) break;
      if (!emit(next.value) && !res.destroyed) await drained(res);
      if (ctx.clientSignal.aborted) break;
    }
    if (ctx.clientSignal.aborted) {
      record.status = 499;
      record.errorCode = 'client_closed_request';
      record.truncated = true;
      stream.settle({ ok: false, abandoned: true });
      return;
    }
    stream.settle({ ok: true });
    write(renderer.end());
    record.status = 200;
  } catch (err) {
    const error = asGatewayError(err);
    record.truncated = true;
    record.status = ctx.clientSignal.aborted ? 499 : 200;
    record.errorCode = ctx.clientSignal.aborted ? 'client_closed_request' : error.code;
    record.finishReason = 'error';
    // The attempt that served the first token failed later: say so where the route is explained.
    const served = ctx.route?.attempts.at(-1);
    if (served && !ctx.clientSignal.aborted)
      served.outcome = `truncated:${error instanceof UpstreamError ? error.kind : error.code}`;
    if (!ctx.clientSignal.aborted) write(renderer.fail(error));
  } finally {
    stream.settle({ ok: false, abandoned: true });
    res.off('close', onClose);
    if (!res.destroyed) res.end();
    if (transcript) record.responseBody = transcript.join('');
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function responseHeaders(ctx: RequestContext, admission: Admission): Record<string, string> {
  return {
    ...admission.headers,
    'x-request-id': ctx.id,
    'x-switchyard-route': formatRouteHeader(ctx.route!),
  };
}

export function overheadMs(ctx: RequestContext): string {
  const ms = performance.now() - ctx.startPerf - ctx.upstreamWaitMs;
  return Math.max(0, ms).toFixed(3);
}

const round = (ms: number) => Math.round(ms * 100) / 100;

export function asGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  const e = err as Error;
  return new GatewayError({
    status: 500,
    type: 'server_error',
    code: 'internal_error',
    message: `Internal gateway error: ${e?.message ?? String(err)}`,
    cause: err,
  });
}

function fillUsage(record: RequestRecord, tally: ChatTally, chat: ChatCompletionRequest | undefined): void {
  const usage = tally.usage;
  if (usage) {
    record.inputTokens = usage.prompt_tokens ?? null;
    record.outputTokens = usage.completion_tokens ?? null;
    record.cachedTokens = usage.prompt_tokens_details?.cached_tokens ?? 0;
    record.reasoningTokens = usage.completion_tokens_details?.reasoning_tokens ?? 0;
    return;
  }
  if (!chat || record.deploymentId === null) return;
  const estimate = estimateUsage(chat, tally.outputText());
  record.inputTokens = estimate.inputTokens;
  record.outputTokens = estimate.outputTokens;
  record.cachedTokens = 0;
  record.reasoningTokens = 0;
  record.usageEstimated = true;
}
