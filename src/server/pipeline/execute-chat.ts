import type { RedactionMap } from '../../residency/index.js';
import { createChatChunkRestorer, redactChatRequest, restoreChatCompletion } from '../../residency/index.js';
import {
  FailoverController,
  mustRedactFor,
  noBackendAvailable,
  type RoutePlan,
} from '../../routing/index.js';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from '../../spec/chat.js';
import { chunkHasContent } from '../../spec/chat.js';
import type { Deployment } from '../../spec/deployment.js';
import { GatewayError, UpstreamError, type UpstreamFailureKind } from '../../spec/gateway-error.js';
import type { RouteAttempt } from '../../spec/request-record.js';
import type { RequestContext } from '../request-context.js';
import type { ExecutionDeps } from './execution-plan.js';
import { StreamWatchdog } from './stream-watchdog.js';

export interface CompletedChat {
  kind: 'completion';
  deployment: Deployment;
  completion: ChatCompletion;
  upstreamHeaders: Record<string, string>;
}

/** How a started stream ended, for the backend's breaker and latency figures. */
export interface StreamSettlement {
  ok: boolean;
  failureKind?: UpstreamFailureKind;
  /** The client left: the attempt says nothing about the backend. */
  abandoned?: boolean;
}

/**
 * A stream whose first content token has arrived. Chunks received before it are in `head`;
 * `rest` yields the remainder and throws UpstreamError if the upstream fails or stalls later.
 */
export interface StartedChatStream {
  kind: 'stream';
  deployment: Deployment;
  head: ChatCompletionChunk[];
  rest: AsyncIterator<ChatCompletionChunk>;
  ttftMs: number;
  upstreamHeaders: Record<string, string>;
  /** Puts redacted placeholders back; identity when nothing was redacted. */
  restoreChunk: (chunk: ChatCompletionChunk) => ChatCompletionChunk;
  /** Stops watchdogs, releases the upstream and reports the outcome; idempotent. */
  settle(outcome: StreamSettlement): void;
}

export interface ChatExecution {
  outcome: CompletedChat | StartedChatStream;
  attempts: RouteAttempt[];
  redacted?: number;
}

/** Thrown when every attempt failed; carries the attempts for the record. */
export class ExecutionFailed extends Error {
  constructor(
    readonly error: unknown,
    readonly attempts: RouteAttempt[],
  ) {
    super('execution failed');
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * Runs one chat request through its route plan: candidates in order, retries and fallbacks on the
 * failures the route allows (FailoverController decides), redaction for external backends when the
 * route asks for it, and for streams every byte held until the first content token, so a failure
 * before it is still invisible to the client.
 */
export async function executeChat(
  deps: ExecutionDeps,
  ctx: RequestContext,
  request: ChatCompletionRequest,
  plan: RoutePlan,
): Promise<ChatExecution> {
  const startedAt = performance.now();
  const failover = new FailoverController(plan, {
    deployments: deps.deployments,
    tryAcquire: deps.states.tryAcquire,
  });
  let next = failover.first();
  if (!next) throw new ExecutionFailed(noBackendAvailable(plan), failover.attempts);
  let lastError: unknown;
  while (next) {
    const state = deps.states.get(next.deployment);
    if (next.delayMs > 0) await sleep(next.delayMs, ctx.clientSignal);
    if (ctx.clientSignal.aborted) {
      state?.breaker.onAbandon();
      throw new ExecutionFailed(clientGone(), failover.attempts);
    }
    const configured = deps.deployments.get(next.deployment)!;
    const deployment =
      next.reason === 'passthrough' || (configured.model === 'passthrough' && plan.targetKind === 'direct')
        ? passthroughDeployment(configured, request.model)
        : configured;
    let body = request;
    let map: RedactionMap | undefined;
    let redacted: number | undefined;
    if (mustRedactFor(plan.residency, deployment)) {
      const r = redactChatRequest(request);
      body = r.request;
      map = r.map;
      redacted = r.count;
    }
    const remaining = plan.retryPolicy.deadlineMs - (performance.now() - startedAt);
    const budget = Math.max(1, Math.min(remaining, deployment.timeouts.totalMs));
    const attemptStart = performance.now();
    state?.start();
    deps.onAttemptStart?.(ctx.id, deployment.id);
    try {
      if (request.stream) {
        const stream = await startStream(deps, ctx, body, deployment, plan, budget, map, (s) => {
          if (s.abandoned) state?.abandon();
          else
            state?.finish({
              ok: s.ok,
              failureKind: s.failureKind,
              latencyMs: performance.now() - attemptStart,
            });
        });
        ctx.upstreamWaitMs += stream.ttftMs;
        failover.succeeded(performance.now() - attemptStart);
        return { outcome: stream, attempts: failover.attempts, redacted };
      }
      const completed = await complete(deps, ctx, body, deployment, budget);
      // Filtered output arrives as a 200 with finish_reason content_filter (OpenAI, Azure); a route
      // that falls back on content_filter treats it like any other refusal.
      if (
        plan.fallbackOn.includes('content_filter') &&
        completed.completion.choices.some((c) => c.finish_reason === 'content_filter')
      )
        throw new UpstreamError({
          kind: 'content_filter',
          deployment: deployment.id,
          status: 400,
          message: `Deployment '${deployment.id}' filtered its answer (finish_reason content_filter).`,
        });
      const latency = performance.now() - attemptStart;
      ctx.upstreamWaitMs += latency;
      state?.finish({ ok: true, latencyMs: latency });
      failover.succeeded(latency);
      if (map) completed.completion = restoreChatCompletion(completed.completion, map);
      return { outcome: completed, attempts: failover.attempts, redacted };
    } catch (err) {
      const latency = performance.now() - attemptStart;
      ctx.upstreamWaitMs += latency;
      if (ctx.clientSignal.aborted) {
        state?.abandon();
        throw new ExecutionFailed(clientGone(), failover.attempts);
      }
      const kind: UpstreamFailureKind = err instanceof UpstreamError ? err.kind : 'protocol';
      state?.finish({ ok: false, failureKind: kind, latencyMs: latency });
      lastError = err;
      next = failover.next({
        kind,
        status: err instanceof UpstreamError ? err.upstreamStatus : undefined,
        retryAfterMs: err instanceof UpstreamError ? err.retryAfterMs : undefined,
        latencyMs: latency,
      });
    }
  }
  throw new ExecutionFailed(lastError, failover.attempts);
}

const passthroughs = new WeakMap<Deployment, Map<string, Deployment>>();
const PASSTHROUGH_MODELS_KEPT = 1000;

/**
 * The passthrough deployment serving one model name. The same object is returned every time, so
 * what adapters cache per deployment (URLs, headers) is computed once per model, not per request.
 */
function passthroughDeployment(configured: Deployment, model: string): Deployment {
  let byModel = passthroughs.get(configured);
  if (!byModel) passthroughs.set(configured, (byModel = new Map()));
  let deployment = byModel.get(model);
  if (!deployment) {
    if (byModel.size >= PASSTHROUGH_MODELS_KEPT) byModel.clear();
    deployment = { ...configured, model };
    byModel.set(model, deployment);
  }
  return deployment;
}

export function clientGone(): GatewayError {
  return new GatewayError({
    status: 499,
    type: 'invalid_request_error',
    code: 'client_closed_request',
    message: 'The client closed the connection before the response was complete.',
  });
}

async function complete(
  deps: ExecutionDeps,
  ctx: RequestContext,
  request: ChatCompletionRequest,
  deployment: Deployment,
  budgetMs: number,
): Promise<CompletedChat> {
  // One controller per attempt, fed by the client's signal and the deadline: cheaper on the hot
  // path than AbortSignal.any, which allocates and registers dependent signals.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, budgetMs);
  const onClientGone = () => controller.abort();
  ctx.clientSignal.addEventListener('abort', onClientGone, { once: true });
  try {
    const result = await deps.providers.get(deployment.provider).chat(request, {
      deployment,
      signal: controller.signal,
      requestId: ctx.id,
    });
    return {
      kind: 'completion',
      deployment,
      completion: result.completion,
      upstreamHeaders: result.upstreamHeaders,
    };
  } catch (err) {
    if (timedOut && !ctx.clientSignal.aborted && !(err instanceof UpstreamError && err.kind === 'timeout')) {
      throw new UpstreamError({
        kind: 'timeout',
        deployment: deployment.id,
        message: `Deployment '${deployment.id}' did not answer within ${Math.round(budgetMs)} ms.`,
        cause: err,
      });
    }
    throw err;
  } finally {
    clearTimeout(timer);
    ctx.clientSignal.removeEventListener('abort', onClientGone);
  }
}

async function startStream(
  deps: ExecutionDeps,
  ctx: RequestContext,
  request: ChatCompletionRequest,
  deployment: Deployment,
  plan: RoutePlan,
  budgetMs: number,
  map: RedactionMap | undefined,
  onSettled: (s: StreamSettlement) => void,
): Promise<StartedChatStream> {
  const started = performance.now();
  const controller = new AbortController();
  const firstTokenMs = Math.min(plan.firstTokenBudgetMs ?? deployment.timeouts.firstTokenMs, budgetMs);
  const watchdog = new StreamWatchdog(controller, firstTokenMs, deployment.timeouts.idleMs, budgetMs);
  const signal = AbortSignal.any([ctx.clientSignal, controller.signal]);
  let iterator: AsyncIterator<ChatCompletionChunk> | undefined;
  let settled = false;
  const release = () => {
    watchdog.stop();
    if (!controller.signal.aborted) controller.abort();
    void iterator?.return?.().catch(() => {});
  };
  const settle = (s: StreamSettlement) => {
    release();
    if (settled) return;
    settled = true;
    onSettled(s);
  };
  const translate = (err: unknown): unknown => {
    if (!watchdog.fired || ctx.clientSignal.aborted) return err;
    const kind: UpstreamFailureKind =
      watchdog.fired === 'first_token'
        ? 'first_token_timeout'
        : watchdog.fired === 'idle'
          ? 'stall'
          : 'timeout';
    const budget =
      watchdog.fired === 'first_token'
        ? `no first token within ${firstTokenMs} ms`
        : watchdog.fired === 'idle'
          ? `no data for ${deployment.timeouts.idleMs} ms`
          : `the total budget of ${Math.round(budgetMs)} ms passed`;
    return new UpstreamError({
      kind,
      deployment: deployment.id,
      message: `Deployment '${deployment.id}': ${budget}.`,
    });
  };
  try {
    const stream = await deps.providers.get(deployment.provider).chatStream(request, {
      deployment,
      signal,
      requestId: ctx.id,
    });
    iterator = stream.chunks[Symbol.asyncIterator]();
    const head: ChatCompletionChunk[] = [];
    while (true) {
      const next = await iterator.next();
      watchdog.activity();
      if (next.done) break;
      head.push(next.value);
      if (chunkHasContent(next.value)) break;
    }
    watchdog.firstToken();
    const it = iterator;
    const rest: AsyncIterator<ChatCompletionChunk> = {
      next: async () => {
        try {
          const n = await it.next();
          watchdog.activity();
          if (n.done) settle({ ok: true });
          return n;
        } catch (err) {
          const error = translate(err);
          settle(
            ctx.clientSignal.aborted
              ? { ok: false, abandoned: true }
              : { ok: false, failureKind: error instanceof UpstreamError ? error.kind : 'protocol' },
          );
          throw error;
        }
      },
      return: async () => {
        settle({ ok: false, abandoned: true });
        return { done: true, value: undefined };
      },
    };
    return {
      kind: 'stream',
      deployment,
      head,
      rest,
      ttftMs: performance.now() - started,
      upstreamHeaders: stream.upstreamHeaders,
      restoreChunk: map ? createChatChunkRestorer(map) : (c) => c,
      settle,
    };
  } catch (err) {
    release();
    throw translate(err);
  }
}
