import type { GatewayConfig } from '../../config/gateway-config.js';
import type { BackendStates } from '../../health/index.js';
import { detectInChatRequest, resolveDataClass } from '../../residency/index.js';
import { scoreRequest, thresholdForStrongShare, type RouterModel } from '../../router/index.js';
import {
  assessResidency,
  compileRoutingTable,
  planRoute,
  residencyViolation,
  routeInputFromChat,
  type RouteInput,
  type RoutePlan,
} from '../../routing/index.js';
import type { ChatCompletionRequest } from '../../spec/chat.js';
import type { Deployment } from '../../spec/deployment.js';
import { GatewayError, notFound } from '../../spec/gateway-error.js';
import type { RoutePlanner } from '../gateway-services.js';
import { headerValue, type RequestContext } from '../request-context.js';

/** Characters per token of English prose; a cheap prompt-length feature that needs no tokenizer. */
const CHARS_PER_TOKEN = 4;

function promptChars(request: ChatCompletionRequest): number {
  let n = 0;
  for (const m of request.messages) {
    if (typeof m.content === 'string') n += m.content.length;
    else if (Array.isArray(m.content))
      for (const p of m.content) if (p.type === 'text' && typeof p.text === 'string') n += p.text.length;
  }
  return n;
}

/**
 * Route policies from the config, evaluated against live backend state. The personal-data detector
 * only runs when some deployment is external: with every backend inside the network there is
 * nothing for residency to prevent.
 */
export function createPolicyRoutePlanner(
  config: GatewayConfig,
  states: BackendStates,
  router: RouterModel,
): RoutePlanner {
  const table = compileRoutingTable(
    {
      deployments: config.deployments,
      models: config.models,
      passthroughDeployment: config.passthroughDeployment,
      routes: config.routes,
    },
    config.source,
  );
  const anyExternal = [...config.deployments.values()].some((d) => d.location === 'external');
  const detect = anyExternal && config.residency.detect;
  const restrictedKeys = new Set(config.residency.restrictedKeys);
  const restrictedTeams = new Set(config.residency.restrictedTeams);
  const restrictedWorkloads = new Set(config.residency.restrictedWorkloads);
  const options = { thresholdForStrongShare: (share: number) => thresholdForStrongShare(router, share) };

  const routeInput = (ctx: RequestContext, request: ChatCompletionRequest): RouteInput => {
    const { dataClass, source } = resolveDataClass({
      header: headerValue(ctx.headers, 'x-switchyard-data-class'),
      key:
        (ctx.caller.keyId !== null && restrictedKeys.has(ctx.caller.keyId)) ||
        (ctx.caller.team !== null && restrictedTeams.has(ctx.caller.team))
          ? 'restricted'
          : null,
      workload: ctx.workload !== null && restrictedWorkloads.has(ctx.workload) ? 'restricted' : null,
    });
    return routeInputFromChat(request, {
      keyId: ctx.caller.keyId,
      team: ctx.caller.team,
      workload: ctx.workload,
      headers: ctx.headers as Record<string, string | undefined>,
      dataClass,
      dataClassSource: source,
      sensitiveKinds: detect && dataClass !== 'restricted' ? detectInChatRequest(request) : [],
      promptTokens: Math.ceil(promptChars(request) / CHARS_PER_TOKEN),
      complexity: () => scoreRequest(router, request),
    });
  };

  const modelPool = (model: string): Deployment[] => {
    const ids = config.models.get(model)?.deploymentIds;
    if (ids) return ids.map((id) => config.deployments.get(id)!);
    if (config.passthroughDeployment)
      return [{ ...config.deployments.get(config.passthroughDeployment)!, model }];
    throw notFound(
      `The model '${model}' does not exist or you do not have access to it.`,
      'model_not_found',
      'model',
    );
  };

  return {
    pool(ctx, request) {
      const pool = modelPool(request.model);
      const residency = assessResidency(routeInput(ctx, request), undefined);
      ctx.route = {
        routeId: null,
        rule: null,
        targetKind: 'pool',
        residency: { dataClass: residency.dataClass, reason: residency.reason },
        attempts: [],
      };
      if (residency.allowExternal) return pool;
      const internal = pool.filter((d) => d.location === 'internal');
      if (internal.length === 0)
        throw residencyViolation(
          residency.reason,
          pool.map((d) => d.id),
        );
      return internal;
    },
    plan(ctx: RequestContext, request: ChatCompletionRequest): RoutePlan {
      const input = routeInput(ctx, request);
      try {
        const plan = planRoute(input, table, states, options);
        states.recordSpill(plan);
        return plan;
      } catch (err) {
        // A refusal is a routing decision too: record which route led to it and why.
        if (err instanceof GatewayError && err.code === 'residency_violation') {
          const route = table.routes.find((r) => r.matches(input, () => undefined));
          const residency = assessResidency(input, route?.config);
          ctx.route = {
            routeId: route?.config.id ?? null,
            rule: route?.rule ?? null,
            targetKind: 'direct',
            residency: { dataClass: residency.dataClass, reason: residency.reason },
            attempts: [],
          };
        }
        throw err;
      }
    },
  };
}
