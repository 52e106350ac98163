import type { Deployment } from '../../spec/deployment.js';
import type { UpstreamFailureKind } from '../../spec/gateway-error.js';
import type { RouteExplanation } from '../../spec/request-record.js';

/** The routing decision as the executor needs it: whom to try, in which order, and when to move on. */
export interface ExecutionPlan {
  candidates: Deployment[];
  /** Failures after which the next candidate is tried; any other failure goes to the client. */
  fallbackOn: ReadonlySet<UpstreamFailureKind>;
  /** Retries of the same candidate before moving on (0 = move on at once). */
  retriesPerCandidate: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Whole request, across every attempt. */
  deadlineMs: number;
  /** Overrides the deployment's first-token budget for this route. */
  firstTokenBudgetMs?: number;
  explanation: RouteExplanation;
  /** Redaction applied to the request; responses are restored through it. */
  restoreText?: (text: string) => string;
  createStreamRestorer?: () => { push(text: string): string; flush(): string };
}

/** What the executor reports about each attempt, so breakers and balancers can learn. */
export interface AttemptObserver {
  started(deploymentId: string): void;
  finished(
    deploymentId: string,
    outcome: 'ok' | UpstreamFailureKind,
    latencyMs: number,
    ttftMs?: number,
  ): void;
}

export const noAttemptObserver: AttemptObserver = { started() {}, finished() {} };
