import { describe, expect, it } from 'vitest';
import { saturationReason } from '../../src/routing/saturation.js';
import type { DeploymentLoad } from '../../src/routing/route-plan.js';
import type { Deployment } from '../../src/spec/deployment.js';
import { gatewayConfig } from './fixtures.js';

const limits = { maxQueueDepth: 4, maxKvCacheUsage: 0.9, ttftSloMs: 1000 };
const llama = gatewayConfig([]).deployments.get('llama-a')!; // maxConcurrency 4
const sized: Deployment = {
  ...llama,
  maxConcurrency: undefined,
  selfHosted: {
    gpuCount: 1,
    gpuHourlyUsd: 2,
    fixedMonthlyUsd: 0,
    engineerHoursPerMonth: 0,
    engineerHourlyUsd: 0,
    opsOverheadPct: 0,
    capacityConcurrency: 2,
  },
};
const unsized: Deployment = { ...llama, maxConcurrency: undefined };
const load = (l: Partial<DeploymentLoad>): DeploymentLoad => ({ inFlight: 0, breaker: 'closed', ...l });

describe('saturationReason', () => {
  it.each<[string, Deployment, DeploymentLoad | undefined, string | null]>([
    ['no state yet', llama, undefined, null],
    ['idle', llama, load({}), null],
    ['below capacity', llama, load({ inFlight: 3 }), null],
    ['at maxConcurrency', llama, load({ inFlight: 4 }), 'in_flight 4>=4'],
    ['at capacityConcurrency of a self-hosted deployment', sized, load({ inFlight: 2 }), 'in_flight 2>=2'],
    ['no capacity known: in-flight never saturates', unsized, load({ inFlight: 500 }), null],
    ['half-open breaker still has headroom', llama, load({ breaker: 'half_open' }), null],
    ['open breaker', llama, load({ breaker: 'open' }), 'breaker_open'],
    ['failed health check', llama, load({ healthy: false }), 'unhealthy'],
    ['unknown queue and cache', llama, load({ queueDepth: undefined, kvCacheUsage: undefined }), null],
    ['KV exactly at the limit', llama, load({ kvCacheUsage: 0.9 }), null],
    ['TTFT over the SLO', llama, load({ ewmaTtftMs: 1500.4 }), 'ttft 1500ms>1000ms'],
  ])('%s', (_name, deployment, l, expected) => {
    expect(saturationReason(deployment, l, limits)).toBe(expected);
  });
});
