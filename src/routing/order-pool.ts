import type { Deployment } from '../spec/deployment.js';
import type { BackendStateView, DeploymentLoad } from './route-plan.js';

/** An open breaker or a failed health check: tried only when nothing else is left. */
export function isUnavailable(load: DeploymentLoad | undefined): boolean {
  return load !== undefined && (load.breaker === 'open' || load.healthy === false);
}

/**
 * Orders a pool for balancing: available before unavailable, then least outstanding requests per
 * unit of weight, then lower EWMA latency, then config order. Unknown latency sorts as zero so a
 * fresh deployment gets traffic and a measurement.
 */
export function orderPool(
  ids: readonly string[],
  deployments: ReadonlyMap<string, Deployment>,
  state: BackendStateView,
): string[] {
  if (ids.length < 2) return [...ids];
  const keyed = ids.map((id, index) => {
    const load = state.load(id);
    const weight = deployments.get(id)?.weight ?? 1;
    const inFlight = load?.inFlight ?? 0;
    return {
      id,
      index,
      down: isUnavailable(load) ? 1 : 0,
      busy: weight > 0 ? inFlight / weight : Number.POSITIVE_INFINITY,
      latency: load?.ewmaLatencyMs ?? 0,
    };
  });
  keyed.sort((a, b) => a.down - b.down || a.busy - b.busy || a.latency - b.latency || a.index - b.index);
  return keyed.map((k) => k.id);
}
