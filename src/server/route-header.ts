import type { RouteExplanation } from '../spec/request-record.js';

/** Compact, ASCII-only summary of a routing decision for the `x-switchyard-route` header. */
export function formatRouteHeader(route: RouteExplanation): string {
  const parts = [`route=${route.routeId ?? 'default'}`];
  const served = route.attempts.findLast((a) => a.outcome === 'ok') ?? route.attempts.at(-1);
  if (served) parts.push(`target=${served.deployment}`);
  if (route.routerScore !== undefined) parts.push(`score=${route.routerScore.toFixed(3)}`);
  if (route.routerThreshold !== undefined) parts.push(`threshold=${route.routerThreshold.toFixed(3)}`);
  if (route.residency)
    parts.push(
      `residency=${route.residency.dataClass}${route.residency.reason ? `(${route.residency.reason})` : ''}`,
    );
  if (route.spilled) parts.push('spilled=1');
  const fallbacks = route.attempts.filter((a) => a.outcome !== 'ok').length;
  if (fallbacks) parts.push(`fallbacks=${fallbacks}`);
  return parts.join('; ').replace(/[^\x20-\x7e]/g, '?');
}
