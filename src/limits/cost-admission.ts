import type { RequestEstimate } from '../cost/estimate-request-cost.js';
import type { ChatCompletionRequest } from '../spec/chat.js';
import type { Deployment } from '../spec/deployment.js';
import { GatewayError } from '../spec/gateway-error.js';
import { BudgetGuard, type BudgetUse } from './budget-guard.js';
import { silentLogger, type CostLogger } from './cost-logger.js';
import type { RateLimiter } from './rate-limiter.js';

/** The parts of a request's context admission reads. */
export interface AdmissionRequestContext {
  caller: { keyId: string | null; team: string | null };
  workload: string | null;
}

/** The routing decision admission reads: the id of the deployment tried first. */
export interface AdmissionPlan {
  candidates: ReadonlyArray<{ deployment: string }>;
}

export interface AdmittedRequest {
  /** `x-ratelimit-*` headers for the response. */
  headers: Record<string, string>;
  /** Reconciles budgets with what the request really cost (null when unknown). */
  settle(actualCostUsd: number | null): void;
}

export interface CostAdmissionOptions {
  rateLimiter?: RateLimiter;
  budgets?: BudgetGuard;
  /** Deployments by id (the config's), to price the estimate on the first candidate. */
  deployments: ReadonlyMap<string, Deployment>;
  estimate(request: ChatCompletionRequest, deployment: Deployment | undefined): RequestEstimate;
  /** Called with each budget's use after a request settles (for the budget-use gauge). */
  onBudgetUse?: (uses: BudgetUse[]) => void;
  logger?: CostLogger;
}

/**
 * Admission before a request is sent upstream: rate limits first (cheap, and a refused request
 * should not hold budget), then budgets with the request's worst-case cost on the deployment it
 * will try first. Throws the GatewayError that refuses it.
 */
export class CostAdmission {
  private readonly logger: CostLogger;

  constructor(private readonly options: CostAdmissionOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  async admit(
    ctx: AdmissionRequestContext,
    request: ChatCompletionRequest,
    plan: AdmissionPlan,
  ): Promise<AdmittedRequest> {
    const deploymentId = plan.candidates[0]?.deployment ?? null;
    const deployment = deploymentId === null ? undefined : this.options.deployments.get(deploymentId);
    const estimate = this.options.estimate(request, deployment);
    let headers: Record<string, string> = {};
    if (this.options.rateLimiter) {
      const limited = await this.options.rateLimiter.check(
        { keyId: ctx.caller.keyId, team: ctx.caller.team, deploymentId },
        estimate.inputTokens + estimate.maxOutputTokens,
      );
      if (limited instanceof GatewayError) throw limited;
      headers = limited.headers;
    }
    const budgets = this.options.budgets;
    if (!budgets) return { headers, settle: () => {} };
    const reservation = await budgets.admit(
      { keyId: ctx.caller.keyId, team: ctx.caller.team, workload: ctx.workload },
      estimate.costUsd ?? 0,
    );
    if (reservation instanceof GatewayError) throw reservation;
    return {
      headers,
      settle: (actual) => {
        budgets
          .settle(reservation, actual)
          .then((uses) => this.options.onBudgetUse?.(uses))
          .catch((err: unknown) => this.logger.warn(`budget settle failed: ${(err as Error).message}`));
      },
    };
  }
}
