import type { Deployment } from '../spec/deployment.js';
import type { DeploymentLoad } from './route-plan.js';

export interface SaturationLimits {
  maxQueueDepth: number;
  maxKvCacheUsage: number;
  ttftSloMs?: number;
}

/**
 * Why a deployment has no headroom, or null when it has. Unknown numbers never count as saturation:
 * a deployment without metrics is judged by its in-flight count alone.
 */
export function saturationReason(
  deployment: Deployment | undefined,
  load: DeploymentLoad | undefined,
  limits: SaturationLimits,
): string | null {
  if (!load) return null;
  if (load.breaker === 'open') return 'breaker_open';
  if (load.healthy === false) return 'unhealthy';
  // A self-hosted deployment sized for N concurrent requests is full at N, even without maxConcurrency.
  const max = deployment?.maxConcurrency ?? deployment?.selfHosted?.capacityConcurrency;
  if (max !== undefined && load.inFlight >= max) return `in_flight ${load.inFlight}>=${max}`;
  if (load.queueDepth !== undefined && load.queueDepth > limits.maxQueueDepth)
    return `queue ${load.queueDepth}>${limits.maxQueueDepth}`;
  if (load.kvCacheUsage !== undefined && load.kvCacheUsage > limits.maxKvCacheUsage)
    return `kv ${round2(load.kvCacheUsage)}>${limits.maxKvCacheUsage}`;
  if (limits.ttftSloMs !== undefined && load.ewmaTtftMs !== undefined && load.ewmaTtftMs > limits.ttftSloMs)
    return `ttft ${Math.round(load.ewmaTtftMs)}ms>${limits.ttftSloMs}ms`;
  return null;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
