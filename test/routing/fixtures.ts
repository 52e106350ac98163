import { resolveConfig } from '../../src/config/load-config.js';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { compileRoutingTable, type RoutingTable } from '../../src/routing/routing-table.js';
import type { BackendStateView, DeploymentLoad } from '../../src/routing/route-plan.js';

const dep = (id: string, location: 'internal' | 'external', extra: Record<string, unknown> = {}) => ({
  id,
  baseUrl: location === 'internal' ? `http://10.0.0.1:8000/v1` : `https://api.example.com/v1`,
  model: id,
  location,
  ...extra,
});

/** A hybrid estate: two internal vLLM replicas, a long-context internal model, two external APIs. */
export const DEPLOYMENTS = [
  dep('llama-a', 'internal', { vendor: 'vllm', maxConcurrency: 4, contextWindow: 8192 }),
  dep('llama-b', 'internal', { vendor: 'vllm', maxConcurrency: 4, contextWindow: 8192 }),
  dep('llama-long', 'internal', { vendor: 'vllm', contextWindow: 131072 }),
  dep('together-70b', 'external', { vendor: 'together', contextWindow: 32768 }),
  dep('openai-4o', 'external', { contextWindow: 128000 }),
  dep('openai-mini', 'external', { contextWindow: 128000 }),
];

export const MODELS = [
  { name: 'llama', deployments: ['llama-a', 'llama-b'] },
  { name: 'gpt-4o', deployments: ['openai-4o'] },
  { name: 'gpt-4o-mini', deployments: ['openai-mini'] },
];

export function gatewayConfig(routes: unknown[], extra: Record<string, unknown> = {}): GatewayConfig {
  return resolveConfig({ deployments: DEPLOYMENTS, models: MODELS, routes, ...extra }, {}, 'test');
}

export function table(routes: unknown[], extra: Record<string, unknown> = {}): RoutingTable {
  return compileRoutingTable(gatewayConfig(routes, extra));
}

/** A fixed snapshot of backend state; deployments not listed are idle and closed. */
export function stateOf(loads: Record<string, Partial<DeploymentLoad>> = {}): BackendStateView {
  return {
    load: (id) => ({ inFlight: 0, breaker: 'closed', ...loads[id] }),
  };
}

export const idle = stateOf();

export const EXTERNAL = new Set(DEPLOYMENTS.filter((d) => d.location === 'external').map((d) => d.id));
