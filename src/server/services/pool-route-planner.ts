import type { GatewayConfig } from '../../config/gateway-config.js';
import type { ChatCompletionRequest } from '../../spec/chat.js';
import type { Deployment } from '../../spec/deployment.js';
import { notFound, type UpstreamFailureKind } from '../../spec/gateway-error.js';
import type { RoutePlanner } from '../gateway-services.js';
import type { ExecutionPlan } from '../pipeline/execution-plan.js';
import type { RequestContext } from '../request-context.js';

const POOL_FALLBACK_ON: ReadonlySet<UpstreamFailureKind> = new Set([
  'connection',
  'http_5xx',
  'rate_limited',
  'timeout',
  'first_token_timeout',
]);

/** Resolves a public model to its deployments, or to the passthrough deployment. */
export function resolvePool(config: GatewayConfig, model: string): Deployment[] {
  const publicModel = config.models.get(model);
  if (publicModel) return publicModel.deploymentIds.map((id) => config.deployments.get(id)!);
  if (config.passthroughDeployment) {
    const base = config.deployments.get(config.passthroughDeployment)!;
    return [{ ...base, model }];
  }
  const known = [...config.models.keys()];
  throw notFound(
    `The model '${model}' does not exist or you do not have access to it.${known.length ? ` Available: ${known.join(', ')}.` : ''}`,
    'model_not_found',
    'model',
  );
}

/** Routing without policies: the model's pool in order, falling over on transient failures. */
export function createPoolRoutePlanner(config: GatewayConfig): RoutePlanner {
  return {
    pool: (model) => resolvePool(config, model),
    plan(_ctx: RequestContext, request: ChatCompletionRequest): ExecutionPlan {
      const candidates = resolvePool(config, request.model);
      return {
        candidates,
        fallbackOn: POOL_FALLBACK_ON,
        retriesPerCandidate: 0,
        baseDelayMs: 100,
        maxDelayMs: 2000,
        deadlineMs: Math.max(...candidates.map((d) => d.timeouts.totalMs)),
        explanation: { routeId: null, rule: null, targetKind: 'pool', attempts: [] },
      };
    },
  };
}
