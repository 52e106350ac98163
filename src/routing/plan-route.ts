import type { RouteConfig, SimpleTargetConfig } from '../config/schema/routes-schema.js';
import { GatewayError, notFound } from '../spec/gateway-error.js';
import { isUnavailable, orderPool } from './order-pool.js';
import { pickWeighted, stickyPoint } from './pick-weighted.js';
import { assessResidency } from './assess-residency.js';
import type {
  BackendStateView,
  Candidate,
  CandidateReason,
  ResidencyVerdict,
  RouteInput,
  RoutePlan,
} from './route-plan.js';
import {
  DEFAULT_FALLBACK_ON,
  DEFAULT_RETRY_POLICY,
  type CompiledRoute,
  type RoutingTable,
} from './routing-table.js';
import { saturationReason } from './saturation.js';

export interface PlanOptions {
  /** Source of randomness for non-sticky splits; injectable so tests are deterministic. */
  random?: () => number;
  /** Maps an `auto` route's `strongShare` to a score threshold, from the router's calibration. */
  thresholdForStrongShare?: (share: number) => number;
  /**
   * False for endpoints served by a model's pool whatever the routes say (embeddings, legacy
   * completions): a route's targets are chat models.
   */
  policies?: boolean;
}

/** A group of deployments that entered the plan for one reason, in preference order. */
interface Group {
  ids: readonly string[];
  reason: CandidateReason;
  /** A pool configured with `balance: least-loaded`: ordered by load when the plan is made. */
  balanced?: boolean;
}

/**
 * Decides where a request goes: a pure function of the request, the compiled routes and a snapshot
 * of backend state. Throws GatewayError when nothing may serve it (unknown model, or restricted data
 * with no internal deployment), so nothing is ever sent.
 */
export function planRoute(
  input: RouteInput,
  table: RoutingTable,
  state: BackendStateView,
  options: PlanOptions = {},
): RoutePlan {
  const complexity = memoComplexity(input);
  const route =
    options.policies === false ? undefined : table.routes.find((r) => r.matches(input, complexity));
  return route
    ? planMatched(input, route, table, state, options, complexity)
    : planDefault(input, table, state);
}

function planDefault(input: RouteInput, table: RoutingTable, state: BackendStateView): RoutePlan {
  const residency = assessResidency(input, undefined);
  let groups: Group[];
  let targetKind: RoutePlan['targetKind'];
  const pool = table.models.get(input.model);
  if (pool) {
    groups = [{ ids: pool, reason: 'primary', balanced: table.balanced.has(input.model) }];
    targetKind = 'pool';
  } else if (table.passthroughDeployment) {
    groups = [{ ids: [table.passthroughDeployment], reason: 'passthrough' }];
    targetKind = 'direct';
  } else {
    throw notFound(
      `The model '${input.model}' does not exist or you do not have access to it.`,
      'model_not_found',
      'model',
    );
  }
  const candidates = finish(groups, residency, table, state);
  return {
    routeId: null,
    rule: null,
    targetKind,
    candidates,
    retryPolicy: DEFAULT_RETRY_POLICY,
    fallbackOn: DEFAULT_FALLBACK_ON,
    residency,
    spilled: false,
  };
}

function planMatched(
  input: RouteInput,
  route: CompiledRoute,
  table: RoutingTable,
  state: BackendStateView,
  options: PlanOptions,
  complexity: () => number | undefined,
): RoutePlan {
  const cfg = route.config;
  const residency = assessResidency(input, cfg);
  const plan: RoutePlan = {
    routeId: cfg.id,
    rule: route.rule,
    targetKind: 'deployment',
    candidates: [],
    retryPolicy: route.retryPolicy,
    fallbackOn: route.fallbackOn,
    firstTokenBudgetMs: cfg.firstTokenBudgetMs,
    residency,
    spilled: false,
    logBodies: cfg.logBodies,
  };

  let groups: Group[];
  const target = cfg.target;
  if ('auto' in target) {
    plan.targetKind = 'auto';
    const { weak, strong } = target.auto;
    const share = target.auto.strongShare ?? route.autoStrongShare;
    const threshold =
      target.auto.threshold ??
      (share !== undefined ? (options.thresholdForStrongShare?.(share) ?? 1 - share) : 0.5);
    const score = complexity();
    // Without a score the safe choice is the model that answers well.
    const choice = score === undefined || score >= threshold ? 'strong' : 'weak';
    plan.routerScore = score;
    plan.routerThreshold = threshold;
    plan.routerChoice = choice;
    const [chosen, other] = choice === 'strong' ? [strong, weak] : [weak, strong];
    groups = [
      ...simpleGroups(chosen, cfg.id, input, table, options),
      ...simpleGroups(other, cfg.id, input, table, options).map((g) => ({
        ...g,
        reason: 'fallback' as const,
      })),
    ];
  } else {
    plan.targetKind = 'deployment' in target ? 'deployment' : 'split' in target ? 'split' : 'fallback';
    groups = simpleGroups(target, cfg.id, input, table, options);
  }

  if (cfg.spillover && residency.dataClass === 'normal') {
    groups = applySpillover(groups, cfg.spillover, table, state, plan);
  } else if (cfg.spillover) {
    // Restricted data never spills; internal members of overflow tiers may still take over on failure.
    for (const tier of cfg.spillover.tiers)
      groups.push(tierGroup(tier.flatMap((ref) => resolve(ref, table))));
  }

  plan.candidates = finish(groups, residency, table, state);
  return plan;
}

function simpleGroups(
  target: SimpleTargetConfig,
  routeId: string,
  input: RouteInput,
  table: RoutingTable,
  options: PlanOptions,
): Group[] {
  if ('deployment' in target) return [refGroup(target.deployment, 'primary', table)];
  if ('fallback' in target)
    return target.fallback.map((ref, i) => refGroup(ref, i === 0 ? 'primary' : 'fallback', table));
  const key = stickyKey(target.sticky, input);
  const point = key !== undefined ? stickyPoint(routeId, key) : (options.random ?? Math.random)();
  const chosen = pickWeighted(target.split, point);
  // The other entries stand by in weight order, so a failing canary falls back to the main line.
  const rest = target.split
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry, index }) => index !== chosen && entry.weight > 0)
    .sort((a, b) => b.entry.weight - a.entry.weight || a.index - b.index);
  return [
    refGroup(target.split[chosen].deployment, 'primary', table),
    ...rest.map(({ entry }) => refGroup(entry.deployment, 'split', table)),
  ];
}

function stickyKey(sticky: string | undefined, input: RouteInput): string | undefined {
  if (sticky === undefined) return undefined;
  if (input.stickyKey) return input.stickyKey;
  const value =
    sticky === 'user'
      ? (input.user ?? input.keyId)
      : sticky === 'session'
        ? (input.sessionId ?? input.headers?.['x-session-id'])
        : input.headers?.[sticky.toLowerCase()];
  return value ? value : undefined;
}

function applySpillover(
  groups: Group[],
  spill: NonNullable<RouteConfig['spillover']>,
  table: RoutingTable,
  state: BackendStateView,
  plan: RoutePlan,
): Group[] {
  const preferred = groups[0];
  const inPreferred = new Set(preferred.ids);
  // A tier that repeats the preferred pool is the pool itself, not an overflow.
  const tiers = spill.tiers
    .map((tier) => tier.flatMap((ref) => resolve(ref, table)).filter((id) => !inPreferred.has(id)))
    .filter((ids) => ids.length > 0);
  const reasons = preferred.ids.map((id) =>
    saturationReason(table.deployments.get(id), state.load(id), spill),
  );
  if (reasons.some((r) => r === null)) {
    // Members with headroom go first (balanced among themselves when the pool is); saturated ones
    // wait behind them.
    const order = (ids: string[]) => (preferred.balanced ? orderPool(ids, table.deployments, state) : ids);
    const free = preferred.ids.filter((_id, i) => reasons[i] === null);
    const full = preferred.ids.filter((_id, i) => reasons[i] !== null);
    return [
      { ...preferred, ids: [...order(free), ...order(full)], balanced: false },
      ...groups.slice(1),
      ...tiers.map((ids) => tierGroup(ids)),
    ];
  }

  const open = tiers.findIndex((ids) =>
    ids.some((id) => saturationReason(table.deployments.get(id), state.load(id), spill) === null),
  );
  if (open === -1) return [...groups, ...tiers.map((ids) => tierGroup(ids))];
  plan.spilled = true;
  plan.spillReason = [...new Set(reasons)].join(', ');
  plan.spilledFrom = [...preferred.ids];
  return [
    { ids: tiers[open], reason: 'primary', balanced: true },
    ...tiers.slice(open + 1).map((ids) => tierGroup(ids)),
    // The saturated pool is still better than an error once the overflow tiers have failed.
    { ...preferred, reason: 'pool' },
    ...groups.slice(1),
    ...tiers.slice(0, open).map((ids) => tierGroup(ids)),
  ];
}

/** Overflow capacity is interchangeable: a tier is spread by load. */
const tierGroup = (ids: readonly string[]): Group => ({ ids, reason: 'spillover', balanced: true });

function resolve(ref: string, table: RoutingTable): readonly string[] {
  return table.refs.get(ref) ?? [];
}

function refGroup(ref: string, reason: CandidateReason, table: RoutingTable): Group {
  return { ids: resolve(ref, table), reason, balanced: table.balanced.has(ref) };
}

/**
 * Flattens groups into candidates: residency filter first (so no external id survives anywhere),
 * then balancing inside the groups that balance (the rest keep their configured order),
 * de-duplication, and unavailable deployments (breaker open, failed health check) last.
 */
function finish(
  groups: readonly Group[],
  residency: ResidencyVerdict,
  table: RoutingTable,
  state: BackendStateView,
): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  const removed = new Set<string>();
  groups.forEach((group, gi) => {
    const allowed = group.ids.filter((id) => {
      const external = table.deployments.get(id)?.location !== 'internal';
      if (external && !residency.allowExternal) {
        removed.add(id);
        return false;
      }
      return true;
    });
    (group.balanced ? orderPool(allowed, table.deployments, state) : allowed).forEach((id, i) => {
      if (seen.has(id)) return;
      seen.add(id);
      const reason: CandidateReason = gi === 0 && i > 0 && group.reason === 'primary' ? 'pool' : group.reason;
      out.push({ deployment: id, reason: gi > 0 && reason === 'primary' ? 'pool' : reason });
    });
  });
  residency.removedExternal = [...removed];

  if (out.length === 0) {
    if (!residency.allowExternal && removed.size > 0)
      throw residencyViolation(residency.reason, [...removed]);
    throw new GatewayError({
      status: 503,
      type: 'server_error',
      code: 'no_backend_available',
      message: 'No deployment is configured to serve this request.',
    });
  }
  const up = out.filter((c) => !isUnavailable(state.load(c.deployment)));
  if (up.length === out.length || up.length === 0) return out;
  return [...up, ...out.filter((c) => isUnavailable(state.load(c.deployment)))];
}

export function residencyViolation(reason: string | null, external: readonly string[]): GatewayError {
  return new GatewayError({
    status: 403,
    type: 'permission_error',
    code: 'residency_violation',
    message:
      `This request carries restricted data (${reason ?? 'restricted'}) and may only be served by ` +
      `internal deployments, but its route leads only to external ones (${external.join(', ')}). ` +
      'Nothing was sent. Route restricted traffic to an internal deployment, or remove the personal data.',
  });
}

function memoComplexity(input: RouteInput): () => number | undefined {
  let done = false;
  let value: number | undefined;
  return () => {
    if (!done) {
      done = true;
      const raw = input.complexity?.();
      value = raw === undefined || Number.isNaN(raw) ? undefined : Math.min(1, Math.max(0, raw));
    }
    return value;
  };
}
