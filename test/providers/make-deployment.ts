import type { Deployment } from '../../src/spec/deployment.js';
import type { UpstreamCallContext } from '../../src/spec/provider-adapter.js';

export function makeDeployment(overrides: Partial<Deployment> & { baseUrl: string }): Deployment {
  return {
    id: 'test-deployment',
    provider: 'openai-compatible',
    vendor: 'openai',
    model: 'upstream-model',
    apiKey: 'sk-test',
    headers: {},
    timeouts: { connectMs: 2_000, firstTokenMs: 5_000, idleMs: 5_000, totalMs: 10_000 },
    location: 'external',
    tags: {},
    weight: 1,
    logBodies: false,
    ...overrides,
  };
}

export function callContext(
  deployment: Deployment,
  signal: AbortSignal = new AbortController().signal,
): UpstreamCallContext {
  return { deployment, signal, requestId: 'req-123' };
}

/** Reads a whole async iterable. */
export async function drain<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Runs `fn` and returns what it threw (failing the test if it did not throw). */
export async function caught(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure, but the call succeeded');
}
