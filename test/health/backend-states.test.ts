import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendStates } from '../../src/health/backend-states.js';
import { ActiveHealthChecker, endpointUrl } from '../../src/health/active-health-checker.js';
import { planRoute } from '../../src/routing/plan-route.js';
import { gatewayConfig } from '../routing/fixtures.js';
import { compileRoutingTable } from '../../src/routing/routing-table.js';
import type { Deployment } from '../../src/spec/deployment.js';

const config = gatewayConfig([
  { id: 'hybrid', target: { deployment: 'llama' }, spillover: { tiers: [['together-70b'], ['gpt-4o']] } },
]);
const routing = compileRoutingTable(config);

describe('BackendStates', () => {
  it('tracks in-flight requests, EWMA latency and TTFT per deployment', () => {
    const states = new BackendStates(config.deployments.values());
    const a = states.get('llama-a')!;
    a.start();
    a.start();
    expect(states.load('llama-a')).toMatchObject({ inFlight: 2, breaker: 'closed' });
    a.finish({ ok: true, latencyMs: 1000, ttftMs: 200 });
    a.finish({ ok: true, latencyMs: 2000, ttftMs: 400 });
    const load = states.load('llama-a')!;
    expect(load.inFlight).toBe(0);
    expect(load.ewmaLatencyMs).toBeGreaterThan(1000);
    expect(load.ewmaLatencyMs).toBeLessThan(2000);
    expect(load.ewmaTtftMs).toBeGreaterThan(200);
  });

  it('counts only backend failures against the breaker', () => {
    const states = new BackendStates(config.deployments.values(), { breaker: { consecutiveFailures: 2 } });
    const a = states.get('llama-a')!;
    for (let i = 0; i < 5; i++) {
      a.start();
      a.finish({ ok: false, failureKind: 'context_length' });
    }
    expect(states.load('llama-a')!.breaker).toBe('closed');
    for (let i = 0; i < 2; i++) {
      a.start();
      a.finish({ ok: false, failureKind: 'connection' });
    }
    expect(states.load('llama-a')!.breaker).toBe('open');
    expect(states.tryAcquire('llama-a')).toBe(false);
    expect(states.tryAcquire('unknown')).toBe(true);
  });

  it('drives spill-over from live in-flight counts and counts the spills', () => {
    const states = new BackendStates(config.deployments.values());
    for (const id of ['llama-a', 'llama-b']) for (let i = 0; i < 4; i++) states.get(id)!.start();
    const plan = planRoute({ model: 'llama' }, routing, states);
    expect(plan.spilled).toBe(true);
    expect(plan.candidates[0].deployment).toBe('together-70b');
    states.recordSpill(plan);
    states.get('llama-a')!.finish({ ok: true });
    expect(planRoute({ model: 'llama' }, routing, states).spilled).toBe(false);
    const snap = states.snapshot();
    expect(snap.deployments.find((d) => d.id === 'llama-a')).toMatchObject({
      spilled: 1,
      inFlight: 3,
      maxConcurrency: 4,
    });
  });

  it('ignores engine metrics once they are stale', () => {
    let now = 0;
    const states = new BackendStates(config.deployments.values(), {
      clock: () => now,
      metricsStaleMs: 10_000,
    });
    states.get('llama-a')!.engine = { queueDepth: 40, kvCacheUsage: 0.99, readAt: 0 };
    expect(states.load('llama-a')).toMatchObject({ queueDepth: 40, kvCacheUsage: 0.99 });
    now = 10_001;
    expect(states.load('llama-a')!.queueDepth).toBeUndefined();
  });

  it('snapshots every deployment for the admin view', () => {
    const states = new BackendStates(config.deployments.values(), { clock: () => 42 });
    const snap = states.snapshot();
    expect(snap.generatedAt).toBe(42);
    expect(snap.deployments.map((d) => d.id)).toEqual([...config.deployments.keys()]);
    expect(snap.deployments[0]).toEqual({
      id: 'llama-a',
      location: 'internal',
      breaker: 'closed',
      breakerOpens: 0,
      inFlight: 0,
      maxConcurrency: 4,
      ewmaLatencyMs: null,
      ewmaTtftMs: null,
      requests: 0,
      failures: 0,
      spilled: 0,
      health: null,
      queueDepth: null,
      running: null,
      kvCacheUsage: null,
      metricsReadAt: null,
    });
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
  });
});

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('ActiveHealthChecker', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  async function engine(handler: (path: string) => [number, string]): Promise<string> {
    server = createServer((req, res) => {
      const [status, body] = handler(req.url ?? '/');
      res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/v1`;
  }

  function deployment(baseUrl: string, extra: Partial<Deployment> = {}): Deployment {
    return {
      ...config.deployments.get('llama-a')!,
      baseUrl,
      healthPath: '/health',
      metricsPath: '/metrics',
      ...extra,
    };
  }

  it('reads /health and vLLM metrics from the server root, and routing sees them', async () => {
    const seen: string[] = [];
    const base = await engine((path) => {
      seen.push(path);
      return path === '/health'
        ? [200, '']
        : [
            200,
            'vllm:num_requests_waiting{model_name="m"} 9\nvllm:kv_cache_usage_perc{model_name="m"} 0.5\n',
          ];
    });
    const d = deployment(base);
    const states = new BackendStates([d]);
    const checker = new ActiveHealthChecker([d], states);
    await checker.checkOnce();
    expect(seen.sort()).toEqual(['/health', '/metrics']);
    expect(states.get('llama-a')!.health).toMatchObject({ ok: true, status: 200 });
    expect(states.load('llama-a')).toMatchObject({ healthy: true, queueDepth: 9, kvCacheUsage: 0.5 });
  });

  it('marks a deployment unhealthy on a 503 and on a refused connection', async () => {
    const base = await engine(() => [503, 'loading']);
    const up = deployment(base);
    const down = deployment(`http://127.0.0.1:${await closedPort()}/v1`, { id: 'llama-b' });
    const states = new BackendStates([up, down]);
    await new ActiveHealthChecker([up, down], states).checkOnce();
    expect(states.get('llama-a')!.health).toMatchObject({ ok: false, status: 503, error: 'HTTP 503' });
    expect(states.get('llama-b')!.health).toMatchObject({ ok: false, error: 'ECONNREFUSED' });
    expect(states.load('llama-b')!.healthy).toBe(false);
  });

  it('only probes deployments that declare a path, and stops cleanly', async () => {
    let hits = 0;
    const base = await engine(() => {
      hits++;
      return [200, ''];
    });
    const probed = deployment(base, { metricsPath: undefined });
    const silent = deployment(base, { id: 'llama-b', healthPath: undefined, metricsPath: undefined });
    const states = new BackendStates([probed, silent]);
    const checker = new ActiveHealthChecker([probed, silent], states, { intervalMs: 60_000 });
    expect(checker.deploymentIds).toEqual(['llama-a']);
    checker.start();
    await checker.stop();
    expect(hits).toBe(1);
    expect(states.get('llama-b')!.health).toBeNull();
  });

  it.each([
    ['http://h:8000/v1', '/health', 'http://h:8000/health'],
    ['http://h:8000/v1', 'health', 'http://h:8000/v1/health'],
    ['http://h:8000/v1', 'http://m:9000/metrics', 'http://m:9000/metrics'],
  ])('endpointUrl(%s, %s) → %s', (base, path, url) => {
    expect(endpointUrl(base, path)).toBe(url);
  });
});
