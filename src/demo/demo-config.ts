import type { ConfigInput } from '../config/schema/config-schema.js';

export interface DemoUpstreams {
  llamaUrl: string;
  gpt4oUrl: string;
}

/** Hourly price the demo assumes for its simulated self-hosted GPU; printed with the results. */
export const DEMO_GPU = { gpu: 'l4', gpuCount: 1, gpuHourlyUsd: 0.8 } as const;

/**
 * The demo's gateway: a simulated self-hosted Llama (internal) and a simulated GPT-4o (external),
 * with the bulk workloads on Llama, support traffic split by the complexity router, and restricted
 * data pinned inside the network.
 */
export function demoConfig(upstreams: DemoUpstreams, dataDir: string): ConfigInput {
  return {
    server: { dataDir, port: 0, requireApiKey: true },
    records: { batchIntervalMs: 50 },
    deployments: [
      {
        id: 'llama-local',
        provider: 'openai-compatible',
        vendor: 'vllm',
        baseUrl: upstreams.llamaUrl,
        model: 'llama-3.1-8b-instruct',
        location: 'internal',
        maxConcurrency: 16,
        contextWindow: 131_072,
        selfHosted: { ...DEMO_GPU, fixedMonthlyUsd: 0, capacityConcurrency: 16 },
        healthPath: '/health',
        metricsPath: '/metrics',
      },
      {
        id: 'openai-gpt-4o',
        provider: 'openai-compatible',
        vendor: 'openai',
        baseUrl: upstreams.gpt4oUrl,
        model: 'gpt-4o',
        location: 'external',
        contextWindow: 128_000,
      },
    ],
    models: [
      { name: 'gpt-4o', deployments: ['openai-gpt-4o'] },
      { name: 'llama-3.1-8b', deployments: ['llama-local'] },
    ],
    routes: [
      {
        id: 'restricted-stays-internal',
        match: { dataClass: 'restricted' },
        target: { deployment: 'llama-local' },
      },
      {
        id: 'bulk-on-llama',
        match: { workload: ['classification', 'extraction', 'summarization'] },
        target: { fallback: ['llama-local', 'openai-gpt-4o'] },
      },
      {
        id: 'support-by-complexity',
        match: { workload: 'support' },
        target: {
          auto: {
            weak: { deployment: 'llama-local' },
            strong: { deployment: 'openai-gpt-4o' },
            threshold: 0.5,
          },
        },
      },
    ],
    cost: { baseline: { model: 'gpt-4o' } },
  };
}
