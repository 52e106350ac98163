import type { Deployment } from '../spec/deployment.js';
import { GatewayError, type UpstreamFailureKind } from '../spec/gateway-error.js';
import type { RouteAttempt } from '../spec/request-record.js';
import { backoffDelayMs, shouldFallback } from './failure-policy.js';
import type { Candidate, CandidateReason, RoutePlan } from './route-plan.js';

export interface FailoverOptions {
  deployments: ReadonlyMap<string, Deployment>;
  /**
   * Asked right before a candidate is used. False skips it (an open breaker refusing traffic); true
   * may take one of a half-open breaker's probe slots, so call it only when the attempt will be made.
   */
  tryAcquire?: (deploymentId: string) => boolean;
  now?: () => number;
  random?: () => number;
}

export interface NextAttempt {
  deployment: string;
  reason: CandidateReason | 'retry';
  /** Wait this long before sending (backoff or Retry-After); 0 when moving to a fresh backend. */
  delayMs: number;
}

export interface AttemptFailure {
  kind: UpstreamFailureKind;
  status?: number;
  retryAfterMs?: number;
  latencyMs?: number;
}

export type StopReason =
  'not_retryable' | 'exhausted' | 'deadline' | 'no_larger_context' | 'no_available_backend';

/**
 * Walks a route plan attempt by attempt. Fresh candidates come first and without delay (another
 * backend has no reason to be down too); once every candidate has been tried, up to `retries.max`
 * further attempts go round the list again with backoff, all within the route's deadline.
 */
export class FailoverController {
  readonly attempts: RouteAttempt[] = [];
  stopReason: StopReason | null = null;

  private readonly startedAt: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly tried = new Set<string>();
  private readonly retryAfterUntil = new Map<string, number>();
  private readonly candidates: readonly Candidate[];
  private current: string | null = null;
  private retries = 0;
  private retryCursor = 0;

  constructor(
    private readonly plan: RoutePlan,
    private readonly options: FailoverOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.startedAt = this.now();
    // Defence in depth: a plan for restricted data never holds external candidates, but if one did
    // it would still never be attempted.
    this.candidates = plan.residency.allowExternal
      ? plan.candidates
      : plan.candidates.filter((c) => options.deployments.get(c.deployment)?.location === 'internal');
  }

  /** The first attempt, or null when every candidate refuses traffic (see `stopReason`). */
  first(): NextAttempt | null {
    return this.take(this.freshCandidate(() => true)) ?? this.stop('no_available_backend');
  }

  /** Records the failed attempt and returns the next one, or null when the request must fail now. */
  next(failure: AttemptFailure): NextAttempt | null {
    const failed = this.current;
    if (failed === null) throw new Error('FailoverController.next called before first()');
    const attempt: RouteAttempt = {
      deployment: failed,
      outcome: failure.kind,
      status: failure.status,
      latencyMs: Math.round(failure.latencyMs ?? 0),
    };
    if (mayStillBeGenerating(failure.kind)) attempt.unfinished = true;
    this.attempts.push(attempt);
    const now = this.now();
    if (failure.retryAfterMs !== undefined) this.retryAfterUntil.set(failed, now + failure.retryAfterMs);
    if (!shouldFallback(failure.kind, this.plan.fallbackOn)) return this.stop('not_retryable');
    const remainingMs = this.startedAt + this.plan.retryPolicy.deadlineMs - now;
    if (remainingMs <= 0) return this.stop('deadline');

    if (failure.kind === 'context_length') {
      const window = this.options.deployments.get(failed)?.contextWindow ?? 0;
      const larger = this.freshCandidate((d) => (d?.contextWindow ?? 0) > window);
      return this.take(larger) ?? this.stop('no_larger_context');
    }
    const fresh = this.freshCandidate(() => true);
    if (fresh) return this.take(fresh);
    // Asking a backend again is for failures the route lists under `retries.on`: a refusal is about
    // the content, and a timed-out call may still be running (and billed) upstream.
    if (!shouldFallback(failure.kind, this.plan.retryPolicy.on)) return this.stop('exhausted');
    return this.retry(now, remainingMs);
  }

  /**
   * The current candidate cannot serve this request at all (its protocol lacks the endpoint): moves
   * on to the next fresh candidate without asking this one again.
   */
  skip(outcome: string): NextAttempt | null {
    const skipped = this.current;
    if (skipped === null) throw new Error('FailoverController.skip called before first()');
    this.attempts.push({ deployment: skipped, outcome, latencyMs: 0 });
    return this.take(this.freshCandidate(() => true)) ?? this.stop('exhausted');
  }

  /** Records the attempt that served the request. */
  succeeded(latencyMs: number, status = 200): void {
    if (this.current === null) return;
    this.attempts.push({ deployment: this.current, outcome: 'ok', status, latencyMs: Math.round(latencyMs) });
  }

  private retry(now: number, remainingMs: number): NextAttempt | null {
    const list = this.candidates;
    if (this.retries >= this.plan.retryPolicy.max || list.length === 0) return this.stop('exhausted');
    let waitingTooLong = false;
    for (let n = 0; n < list.length; n++) {
      const c = list[(this.retryCursor + n) % list.length];
      const waitMs = Math.max(0, (this.retryAfterUntil.get(c.deployment) ?? 0) - now);
      // A backend that asked us to wait past the deadline will not be ready in time.
      if (waitMs >= remainingMs) {
        waitingTooLong = true;
        continue;
      }
      if (this.options.tryAcquire && !this.options.tryAcquire(c.deployment)) continue;
      this.retryCursor = (this.retryCursor + n + 1) % list.length;
      this.retries++;
      this.current = c.deployment;
      const delayMs = backoffDelayMs({
        attempt: this.retries,
        policy: this.plan.retryPolicy,
        random: this.random,
        retryAfterMs: waitMs || undefined,
        remainingMs,
      });
      return { deployment: c.deployment, reason: 'retry', delayMs };
    }
    return this.stop(waitingTooLong ? 'deadline' : 'no_available_backend');
  }

  private freshCandidate(fits: (d: Deployment | undefined) => boolean): Candidate | undefined {
    for (const c of this.candidates) {
      if (this.tried.has(c.deployment)) continue;
      if (!fits(this.options.deployments.get(c.deployment))) continue;
      if (this.options.tryAcquire && !this.options.tryAcquire(c.deployment)) continue;
      return c;
    }
    return undefined;
  }

  private take(c: Candidate | undefined): NextAttempt | null {
    if (!c) return null;
    this.tried.add(c.deployment);
    this.current = c.deployment;
    return { deployment: c.deployment, reason: c.reason, delayMs: 0 };
  }

  private stop(reason: StopReason): null {
    this.stopReason = reason;
    return null;
  }
}

/** Failures that leave the call running upstream: the gateway stopped waiting, not the upstream working. */
export function mayStillBeGenerating(kind: UpstreamFailureKind): boolean {
  return kind === 'timeout' || kind === 'first_token_timeout' || kind === 'stall';
}

/** The answer when every candidate's breaker refuses traffic: fail fast instead of queueing. */
export function noBackendAvailable(plan: RoutePlan, retryAfterSeconds = 5): GatewayError {
  return new GatewayError({
    status: 503,
    type: 'server_error',
    code: 'no_backend_available',
    message: `Every deployment for this request is unavailable (circuit open): ${plan.candidates
      .map((c) => c.deployment)
      .join(', ')}. Retry shortly.`,
    headers: { 'retry-after': String(retryAfterSeconds) },
  });
}
