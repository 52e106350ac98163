import type { GatewayConfig } from '../../config/gateway-config.js';
import type { BackendStates } from '../../health/index.js';
import { detectInRequest, resolveDataClass } from '../../residency/index.js';
import { scoreRequest, thresholdForStrongShare, type RouterModel } from '../../complexity-router/index.js';
import {
  applyRollout,
  assessResidency,
  compileRoutingTable,
  planRoute,
  routeInputFromChat,
  type RouteInput,
  type RoutePlan,
} from '../../routing/index.js';
import type { ChatCompletionRequest } from '../../spec/chat.js';
import { GatewayError } from '../../spec/gateway-error.js';
import type { RouteRefusal, RoutePlanner, RouteRequest } from '../gateway-services.js';
import { headerValue } from '../lifecycle/request-policy.js';

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

/** Endpoints served by a model's pool rather than by route policies (a route's targets are chat models). */
const POOL_ENDPOINTS = new Set(['embeddings', 'completions']);

/** The rollouts' assignment of callers to arms, as routing reads it. */
export interface RolloutAssigner {
  share(route: string): { candidate: string; candidatePercent: number } | undefined;
  assign(
    route: string,
    ids: { user?: string | null; sessionId?: string | null; requestId: string },
  ): { arm: 'baseline' | 'candidate'; deployment: string } | undefined;
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
  rollouts?: RolloutAssigner,
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
  const threshold = (share: number) => thresholdForStrongShare(router, share);
  const withPolicies = { thresholdForStrongShare: threshold, policies: true };
  const poolOnly = { thresholdForStrongShare: threshold, policies: false };

  const routeInput = (request: RouteRequest): RouteInput => {
    const { caller, policy } = request;
    const { dataClass, source } = resolveDataClass({
      header: headerValue(request.headers, 'x-switchyard-data-class'),
      key:
        (caller.keyId !== null && restrictedKeys.has(caller.keyId)) ||
        (caller.team !== null && restrictedTeams.has(caller.team))
          ? 'restricted'
          : null,
      workload: policy.workload !== null && restrictedWorkloads.has(policy.workload) ? 'restricted' : null,
    });
    return routeInputFromChat(request.chat, {
      keyId: caller.keyId,
      team: caller.team,
      workload: policy.workload,
      headers: request.headers as Record<string, string | undefined>,
      dataClass,
      dataClassSource: source,
      sensitiveKinds: detect && dataClass !== 'restricted' ? detectInRequest(request.body) : [],
      promptTokens: Math.ceil(promptChars(request.chat) / CHARS_PER_TOKEN),
      complexity: () => scoreRequest(router, request.chat),
    });
  };

  return {
    plan(request: RouteRequest): RoutePlan {
      const input = routeInput(request);
      const pool = POOL_ENDPOINTS.has(request.endpoint);
      try {
        let plan = planRoute(input, table, states, pool ? poolOnly : withPolicies);
        const share = plan.routeId !== null ? rollouts?.share(plan.routeId) : undefined;
        if (share && plan.routeId !== null) {
          const assigned = rollouts!.assign(plan.routeId, {
            user: typeof request.chat.user === 'string' ? request.chat.user : null,
            sessionId: headerValue(request.headers, 'x-session-id') ?? null,
            requestId: request.requestId,
          });
          if (assigned)
            plan = applyRollout(
              plan,
              { arm: assigned.arm, candidate: share.candidate, candidatePercent: share.candidatePercent },
              config.deployments,
            );
        }
        states.recordSpill(plan);
        return plan;
      } catch (err) {
        // A refusal is a routing decision too: say which route led to it and why.
        if (err instanceof GatewayError && err.code === 'residency_violation') {
          const route = pool ? undefined : table.routes.find((r) => r.matches(input, () => undefined));
          const residency = assessResidency(input, route?.config);
          (err as RouteRefusal).route = {
            routeId: route?.config.id ?? null,
            rule: route?.rule ?? null,
            targetKind: pool ? 'pool' : 'direct',
            residency: { dataClass: residency.dataClass, reason: residency.reason },
            attempts: [],
          };
        }
        throw err;
      }
    },
  };
}
