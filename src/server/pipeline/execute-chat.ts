import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from '../../spec/chat.js';
import { chunkHasContent } from '../../spec/chat.js';
import type { Deployment } from '../../spec/deployment.js';
import { GatewayError, UpstreamError, type UpstreamFailureKind } from '../../spec/gateway-error.js';
import type { ProviderAdapter } from '../../spec/provider-adapter.js';
import type { RequestContext } from '../request-context.js';
import type { AttemptObserver, ExecutionPlan } from './execution-plan.js';
import { StreamWatchdog } from './stream-watchdog.js';

export interface ProviderLookup {
  get(name: string): ProviderAdapter;
}

export interface CompletedChat {
  kind: 'completion';
  deployment: Deployment;
  completion: ChatCompletion;
  upstreamHeaders: Record<string, string>;
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
  /** Stops watchdogs and releases the upstream; idempotent. */
  close(): void;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

function failureKind(err: unknown): UpstreamFailureKind | null {
  return err instanceof UpstreamError ? err.kind : null;
}

/**
 * Runs one chat request through its plan: tries candidates in order, retries and falls back on the
 * failures the route allows, and for streams holds everything until the first content token, so a
 * failure before it is still invisible to the client.
 */
export async function executeChat(
  providers: ProviderLookup,
  ctx: RequestContext,
  request: ChatCompletionRequest,
  plan: ExecutionPlan,
  observer: AttemptObserver,
  now: () => number = performance.now.bind(performance),
): Promise<CompletedChat | StartedChatStream> {
  if (plan.candidates.length === 0) {
    throw new GatewayError({
      status: 503,
      type: 'server_error',
      code: 'no_backend_available',
      message: `No deployment is available to serve model '${request.model}'.`,
    });
  }
  const deadlineAt = now() + plan.deadlineMs;
  let lastError: unknown;
  for (let c = 0; c < plan.candidates.length; c++) {
    const deployment = plan.candidates[c];
    for (let retry = 0; retry <= plan.retriesPerCandidate; retry++) {
      if (ctx.clientSignal.aborted) throw clientGone();
      const remaining = deadlineAt - now();
      if (remaining <= 0) throw lastError ?? deadlineExceeded(plan.deadlineMs);
      const started = now();
      observer.started(deployment.id);
      try {
        const outcome = request.stream
          ? await startStream(
              providers,
              ctx,
              request,
              deployment,
              plan,
              Math.min(remaining, deployment.timeouts.totalMs),
            )
          : await complete(
              providers,
              ctx,
              request,
              deployment,
              Math.min(remaining, deployment.timeouts.totalMs),
            );
        const latency = now() - started;
        ctx.upstreamWaitMs += outcome.kind === 'stream' ? outcome.ttftMs : latency;
        plan.explanation.attempts.push({
          deployment: deployment.id,
          outcome: 'ok',
          latencyMs: round(latency),
        });
        if (outcome.kind === 'completion') observer.finished(deployment.id, 'ok', latency);
        return outcome;
      } catch (err) {
        const latency = now() - started;
        ctx.upstreamWaitMs += latency;
        if (ctx.clientSignal.aborted) {
          observer.finished(deployment.id, 'ok', latency);
          throw clientGone();
        }
        const kind = failureKind(err);
        observer.finished(deployment.id, kind ?? 'protocol', latency);
        plan.explanation.attempts.push({
          deployment: deployment.id,
          outcome: kind ?? 'error',
          status: err instanceof UpstreamError ? err.upstreamStatus : undefined,
          latencyMs: round(latency),
        });
        lastError = err;
        if (kind === null || !plan.fallbackOn.has(kind)) throw err;
        if (retry < plan.retriesPerCandidate && retriable(kind)) {
          const retryAfter = err instanceof UpstreamError ? (err.retryAfterMs ?? 0) : 0;
          const backoff = Math.random() * Math.min(plan.maxDelayMs, plan.baseDelayMs * 2 ** retry);
          const wait = Math.max(backoff, retryAfter);
          if (now() + wait >= deadlineAt) break;
          await sleep(wait, ctx.clientSignal);
          continue;
        }
        break;
      }
    }
  }
  throw lastError;
}

function retriable(kind: UpstreamFailureKind): boolean {
  return kind === 'connection' || kind === 'http_5xx' || kind === 'rate_limited' || kind === 'timeout';
}

const round = (ms: number) => Math.round(ms * 100) / 100;

function clientGone(): GatewayError {
  return new GatewayError({
    status: 499,
    type: 'invalid_request_error',
    code: 'client_closed_request',
    message: 'The client closed the connection before the response was complete.',
  });
}

function deadlineExceeded(ms: number): GatewayError {
  return new UpstreamError({
    kind: 'timeout',
    deployment: '',
    message: `The request deadline of ${ms} ms passed.`,
  });
}

async function complete(
  providers: ProviderLookup,
  ctx: RequestContext,
  request: ChatCompletionRequest,
  deployment: Deployment,
  budgetMs: number,
): Promise<CompletedChat> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), budgetMs);
  const signal = AbortSignal.any([ctx.clientSignal, controller.signal]);
  try {
    const result = await providers.get(deployment.provider).chat(request, {
      deployment,
      signal,
      requestId: ctx.id,
    });
    return {
      kind: 'completion',
      deployment,
      completion: result.completion,
      upstreamHeaders: result.upstreamHeaders,
    };
  } catch (err) {
    if (controller.signal.aborted && !ctx.clientSignal.aborted) {
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
  }
}

async function startStream(
  providers: ProviderLookup,
  ctx: RequestContext,
  request: ChatCompletionRequest,
  deployment: Deployment,
  plan: ExecutionPlan,
  budgetMs: number,
): Promise<StartedChatStream> {
  const started = performance.now();
  const controller = new AbortController();
  const firstTokenMs = Math.min(plan.firstTokenBudgetMs ?? deployment.timeouts.firstTokenMs, budgetMs);
  const watchdog = new StreamWatchdog(controller, firstTokenMs, deployment.timeouts.idleMs, budgetMs);
  const signal = AbortSignal.any([ctx.clientSignal, controller.signal]);
  let iterator: AsyncIterator<ChatCompletionChunk> | undefined;
  const close = () => {
    watchdog.stop();
    if (!controller.signal.aborted) controller.abort();
    void iterator?.return?.().catch(() => {});
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
    const stream = await providers.get(deployment.provider).chatStream(request, {
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
          if (n.done) watchdog.stop();
          return n;
        } catch (err) {
          watchdog.stop();
          throw translate(err);
        }
      },
      return: async () => {
        close();
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
      close,
    };
  } catch (err) {
    close();
    throw translate(err);
  }
}
