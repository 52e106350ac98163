import type { GatewayConfig } from '../../config/gateway-config.js';
import type { CostAccountant } from '../../cost/cost-accountant.js';
import { SCORERS } from '../../eval/scorers/registry.js';
import type { Scorer } from '../../eval/scorers/scorer.js';
import type { GatewayMetrics } from '../../metrics/gateway-metrics.js';
import type { SqliteShadowStore } from '../../shadow/sqlite-shadow-store.js';
import type { ChatCompletion } from '../../spec/chat.js';
import { createChatCall } from '../calls/chat-call.js';
import type { RoutePlanner } from '../gateway-services.js';
import { chatInbound } from '../inbound/chat-inbound.js';
import type { Caller } from '../lifecycle/request-policy.js';
import { executeAttempts, ExecutionFailed, type ExecutionDeps } from '../pipeline/execute-attempts.js';
import type { RecordPipeline } from '../record-pipeline/record-pipeline.js';
import { pairCallUsage } from './pair-call-usage.js';
import { ShadowDispatcher } from './shadow-dispatcher.js';

/** Who a judge's call is made as: the gateway itself, under no key, team or workload of a client. */
const GATEWAY_CALLER: Caller = Object.freeze({
  keyId: null,
  keyName: 'switchyard',
  team: null,
  workload: null,
  isMaster: false,
});

export interface ShadowWiring {
  config: GatewayConfig;
  execution: ExecutionDeps;
  router: RoutePlanner;
  pipeline: RecordPipeline;
  pairs: SqliteShadowStore;
  accountant: CostAccountant;
  metrics: GatewayMetrics;
  log: (message: string) => void;
}

/** The shadow dispatcher of a config, or undefined when no route shadows anything. */
export function createShadowDispatcher(w: ShadowWiring): ShadowDispatcher | undefined {
  const routes = w.config.routes.filter((r) => r.shadow);
  if (routes.length === 0) return undefined;
  const scorers = new Map<string, Scorer>();
  for (const route of routes) {
    const score = route.shadow!.score;
    if (!score) continue;
    const entry = Object.hasOwn(SCORERS, score.scorer) ? SCORERS[score.scorer] : undefined;
    if (!entry)
      throw new Error(
        `routes.${route.id}.shadow.score.scorer: unknown scorer '${score.scorer}'; use one of ${Object.keys(SCORERS).join(', ')}`,
      );
    scorers.set(route.id, entry.create({ judgeModel: score.judge }));
  }
  return new ShadowDispatcher(routes, {
    execution: w.execution,
    resolve: (ref) =>
      w.config.deployments.has(ref) ? [ref] : (w.config.models.get(ref)?.deploymentIds ?? []),
    store: (item, onPriced) => w.pipeline.finishShadow(item, onPriced),
    estimate: (request, deployment) => w.accountant.estimate(request, deployment).costUsd,
    async judge(request, callId, signal) {
      const plan = w.router.plan({
        requestId: callId,
        endpoint: 'chat',
        model: request.model,
        caller: GATEWAY_CALLER,
        policy: { workload: null, tags: null },
        headers: {},
        chat: request,
        body: request,
      });
      const started = performance.now();
      try {
        const execution = await executeAttempts(w.execution, {
          requestId: callId,
          model: request.model,
          plan,
          call: createChatCall(chatInbound, { ...request, stream: false }, request),
          signal,
        });
        if (execution.kind !== 'completion') throw new Error('a judge is never streamed');
        return {
          completion: execution.answer.body as ChatCompletion,
          call: pairCallUsage(
            callId,
            execution.deployment,
            execution.answer.tally.usage,
            performance.now() - started,
            200,
          ),
        };
      } catch (err) {
        throw err instanceof ExecutionFailed ? err.error : err;
      }
    },
    metrics: w.metrics,
    spentUsd: (routeId) => w.pairs.spentUsd(routeId),
    scorerFor: (routeId) => scorers.get(routeId),
    log: w.log,
  });
}
