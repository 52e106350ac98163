import type { BackendStates } from '../../health/index.js';
import {
  FailoverController,
  mustRedactFor,
  noBackendAvailable,
  type RoutePlan,
} from '../../routing/index.js';
import type { Deployment } from '../../spec/deployment.js';
import { GatewayError, UpstreamError, type UpstreamFailureKind } from '../../spec/gateway-error.js';
import type { ProviderAdapter } from '../../spec/provider-adapter.js';
import type { RouteAttempt } from '../../spec/request-record.js';
import type { AnswerTally } from './answer-tally.js';
import type {
  AnswerStream,
  AttemptTarget,
  CompletedAnswer,
  EndpointCall,
  StreamPiece,
} from './endpoint-call.js';
import { isPassthrough, passthroughDeployment } from './passthrough-deployment.js';
import { StreamWatchdog } from './stream-watchdog.js';

export interface ProviderLookup {
  get(name: string): ProviderAdapter;
}

/** What executing a plan needs besides the plan: adapters, deployments and their live state. */
export interface ExecutionDeps {
  providers: ProviderLookup;
  deployments: ReadonlyMap<string, Deployment>;
  states: BackendStates;
  /** An attempt on a deployment begins (self-hosted cost is allocated by the time it occupies). */
  onAttemptStart?: (requestId: string, deploymentId: string) => void;
}

export interface ExecutionInput {
  requestId: string;
  /** The model the client asked for: a passthrough deployment serves it under that name. */
  model: string;
  plan: RoutePlan;
  call: EndpointCall;
  /** Aborted when the client leaves or the gateway cuts the request at shutdown. */
  signal: AbortSignal;
}

interface ExecutionBase {
  deployment: Deployment;
  attempts: RouteAttempt[];
  /** Time spent waiting on upstreams (attempts until their answer or first token) and on back-off. */
  waitedMs: number;
}

export interface CompletedExecution extends ExecutionBase {
  kind: 'completion';
  answer: CompletedAnswer;
}

/** How a started stream ended, for the backend's breaker and latency figures. */
export interface StreamSettlement {
  ok: boolean;
  failureKind?: UpstreamFailureKind;
  /** The client left (or the gateway cut the request): the attempt says nothing about the backend. */
  abandoned?: boolean;
}

/** A stream whose first content arrived; its pieces until then are in `head`. */
export interface StartedStream {
  /** The next piece after the head, or null at the end; throws UpstreamError naming a stall or cut. */
  next(): Promise<StreamPiece | null>;
  end(): string;
  fail(error: GatewayError): string;
  readonly tally: AnswerTally;
  /** Stops the watchdog, releases the upstream and reports the outcome; idempotent. */
  settle(outcome: StreamSettlement): void;
}

export interface StartedExecution extends ExecutionBase {
  kind: 'stream';
  head: StreamPiece[];
  stream: StartedStream;
  redacted?: number;
}

export type Execution = CompletedExecution | StartedExecution;

/** Every attempt failed, or the request was cut; carries the attempts for the record. */
export class ExecutionFailed extends Error {
  constructor(
    readonly error: GatewayError,
    readonly attempts: RouteAttempt[],
    readonly waitedMs: number,
  ) {
    super(error.message);
  }
}

/**
 * The one attempt executor, for every endpoint: candidates in the plan's order, retries and
 * fallbacks on the failures the route allows (FailoverController decides), the breaker and load of
 * every deployment fed, redaction where residency asks for it, each attempt bounded by its budgets
 * (total for a whole answer; first token, idle and total for a stream, whose pieces are held until
 * the first content so a failure before it is still invisible to the client), and everything
 * aborted when the client leaves. A failure that is the gateway's own is never charged to an upstream.
 */
export async function executeAttempts(deps: ExecutionDeps, input: ExecutionInput): Promise<Execution> {
  const { plan, call, signal } = input;
  const failover = new FailoverController(plan, {
    deployments: deps.deployments,
    tryAcquire: deps.states.tryAcquire,
  });
  let waitedMs = 0;
  const fail = (error: GatewayError): never => {
    throw new ExecutionFailed(error, failover.attempts, waitedMs);
  };
  let next = failover.first();
  if (!next) return fail(noBackendAvailable(plan));
  let lastError: GatewayError | undefined;
  while (next) {
    const state = deps.states.get(next.deployment);
    if (next.delayMs > 0) {
      const slept = performance.now();
      await sleep(next.delayMs, signal);
      waitedMs += performance.now() - slept;
    }
    if (signal.aborted) {
      state?.breaker.onAbandon();
      return fail(stopped(signal));
    }
    const configured = deps.deployments.get(next.deployment)!;
    const deployment =
      next.reason === 'passthrough' || (isPassthrough(configured) && plan.targetKind === 'direct')
        ? passthroughDeployment(configured, input.model)
        : configured;
    const adapter = deps.providers.get(deployment.provider);
    if (!call.supports(adapter)) {
      state?.breaker.onAbandon();
      lastError = unsupported(deployment);
      next = failover.skip('unsupported');
      continue;
    }
    const attemptStart = performance.now();
    state?.start();
    deps.onAttemptStart?.(input.requestId, deployment.id);
    const target = {
      deployment,
      adapter,
      redact: mustRedactFor(plan.residency, deployment),
      requestId: input.requestId,
    };
    try {
      if (call.stream) {
        const started = await startStream(call, target, signal, plan, (s) => {
          if (s.abandoned) state?.abandon();
          else
            state?.finish({
              ok: s.ok,
              failureKind: s.failureKind,
              latencyMs: performance.now() - attemptStart,
            });
        });
        const latency = performance.now() - attemptStart;
        waitedMs += latency;
        failover.succeeded(latency);
        return {
          kind: 'stream',
          deployment,
          head: started.head,
          stream: started.stream,
          redacted: started.redacted,
          attempts: failover.attempts,
          waitedMs,
        };
      }
      const answer = await completeWithin(call, target, signal, deployment.timeouts.totalMs);
      // Filtered output arrives as a 200 with finish_reason content_filter (OpenAI, Azure); a route
      // that falls back on content_filter treats it like any other refusal.
      if (answer.contentFiltered && plan.fallbackOn.includes('content_filter'))
        throw new UpstreamError({
          kind: 'content_filter',
          deployment: deployment.id,
          status: 400,
          message: `Deployment '${deployment.id}' filtered its answer (finish_reason content_filter).`,
        });
      const latency = performance.now() - attemptStart;
      waitedMs += latency;
      state?.finish({ ok: true, latencyMs: latency });
      failover.succeeded(latency);
      return { kind: 'completion', deployment, answer, attempts: failover.attempts, waitedMs };
    } catch (err) {
      const latency = performance.now() - attemptStart;
      waitedMs += latency;
      if (signal.aborted) {
        state?.abandon();
        return fail(stopped(signal));
      }
      if (!(err instanceof UpstreamError)) {
        // A bug or a limit of the gateway's own: says nothing about the upstream, and another
        // backend would meet the same fate.
        state?.abandon();
        return fail(internalError(err));
      }
      state?.finish({ ok: false, failureKind: err.kind, latencyMs: latency });
      lastError = err;
      next = failover.next({
        kind: err.kind,
        status: err.upstreamStatus,
        retryAfterMs: err.retryAfterMs,
        latencyMs: latency,
      });
    }
  }
  return fail(lastError ?? noBackendAvailable(plan));
}

async function completeWithin(
  call: EndpointCall,
  target: Omit<AttemptTarget, 'signal'>,
  signal: AbortSignal,
  budgetMs: number,
): Promise<CompletedAnswer> {
  // One controller per attempt, fed by the request's signal and the budget: cheaper on the hot
  // path than AbortSignal.any, which allocates and registers dependent signals.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, budgetMs);
  const onStop = () => controller.abort();
  signal.addEventListener('abort', onStop, { once: true });
  try {
    return await call.complete({ ...target, signal: controller.signal });
  } catch (err) {
    if (timedOut && !signal.aborted && !(err instanceof UpstreamError && err.kind === 'timeout'))
      throw new UpstreamError({
        kind: 'timeout',
        deployment: target.deployment.id,
        message: `Deployment '${target.deployment.id}' did not answer within ${Math.round(budgetMs)} ms (timeouts.totalMs).`,
        cause: err,
      });
    throw err;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onStop);
  }
}

async function startStream(
  call: EndpointCall,
  target: Omit<AttemptTarget, 'signal'>,
  signal: AbortSignal,
  plan: RoutePlan,
  onSettled: (s: StreamSettlement) => void,
): Promise<{ head: StreamPiece[]; stream: StartedStream; redacted?: number }> {
  const { deployment } = target;
  const timeouts = deployment.timeouts;
  const controller = new AbortController();
  const firstTokenMs = plan.firstTokenBudgetMs ?? timeouts.firstTokenMs;
  const watchdog = new StreamWatchdog(controller, firstTokenMs, timeouts.idleMs, timeouts.totalMs);
  const onStop = () => controller.abort();
  signal.addEventListener('abort', onStop, { once: true });
  let answer: AnswerStream | undefined;
  let settled = false;
  const release = () => {
    watchdog.stop();
    signal.removeEventListener('abort', onStop);
    if (!controller.signal.aborted) controller.abort();
    answer?.close();
  };
  const settle = (s: StreamSettlement) => {
    release();
    if (settled) return;
    settled = true;
    onSettled(s);
  };
  const translate = (err: unknown): unknown => {
    if (!watchdog.fired || signal.aborted) return err;
    const kind: UpstreamFailureKind =
      watchdog.fired === 'first_token'
        ? 'first_token_timeout'
        : watchdog.fired === 'idle'
          ? 'stall'
          : 'timeout';
    const what =
      watchdog.fired === 'first_token'
        ? `no first token within ${firstTokenMs} ms`
        : watchdog.fired === 'idle'
          ? `no data for ${timeouts.idleMs} ms (timeouts.idleMs)`
          : `the total budget of ${timeouts.totalMs} ms passed (timeouts.totalMs)`;
    return new UpstreamError({
      kind,
      deployment: deployment.id,
      message: `Deployment '${deployment.id}': ${what}.`,
    });
  };
  try {
    answer = await call.open({ ...target, signal: controller.signal });
    const head: StreamPiece[] = [];
    while (true) {
      const piece = await answer.next();
      watchdog.activity();
      if (piece === null) break;
      head.push(piece);
      if (piece.content) break;
    }
    watchdog.firstToken();
    const open = answer;
    const stream: StartedStream = {
      tally: open.tally,
      end: () => open.end(),
      fail: (error) => open.fail(error),
      settle,
      async next() {
        try {
          const piece = await open.next();
          watchdog.activity();
          if (piece === null) settle({ ok: true });
          return piece;
        } catch (err) {
          const error = translate(err);
          settle(
            signal.aborted
              ? { ok: false, abandoned: true }
              : { ok: false, failureKind: error instanceof UpstreamError ? error.kind : 'protocol' },
          );
          throw error;
        }
      },
    };
    return { head, stream, redacted: open.redacted };
  } catch (err) {
    release();
    throw translate(err);
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/** Why the request stopped: the reason its signal was aborted with, or the client leaving. */
function stopped(signal: AbortSignal): GatewayError {
  return signal.reason instanceof GatewayError ? signal.reason : clientGone();
}

export function clientGone(): GatewayError {
  return new GatewayError({
    status: 499,
    type: 'invalid_request_error',
    code: 'client_closed_request',
    message: 'The client closed the connection before the response was complete.',
  });
}

export function internalError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  const e = err as Error | undefined;
  return new GatewayError({
    status: 500,
    type: 'server_error',
    code: 'internal_error',
    message: `Internal gateway error: ${e?.message ?? String(err)}`,
    cause: err,
  });
}

function unsupported(deployment: Deployment): GatewayError {
  return new GatewayError({
    status: 400,
    type: 'invalid_request_error',
    code: 'unsupported_endpoint',
    message: `Deployment '${deployment.id}' (provider ${deployment.provider}) does not support this endpoint.`,
  });
}
