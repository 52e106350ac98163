import type { Deployment } from '../spec/deployment.js';
import type { BackendStates } from './backend-states.js';
import { parseEngineMetrics } from './engine-metrics.js';

export interface ActiveHealthCheckerOptions {
  intervalMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  clock?: () => number;
}

/**
 * Polls `healthPath` (vLLM and TGI serve `/health`) and `metricsPath` (Prometheus text) of the
 * deployments that declare them. A path starting with `/` is taken from the server root, since
 * baseUrl usually ends in `/v1` while these endpoints do not. Timers are unref'd so a forgotten
 * checker never keeps the process alive.
 */
export class ActiveHealthChecker {
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;
  private readonly targets: Deployment[];
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly clock: () => number;

  constructor(
    deployments: Iterable<Deployment>,
    private readonly states: BackendStates,
    options: ActiveHealthCheckerOptions = {},
  ) {
    this.targets = [...deployments].filter((d) => d.healthPath || d.metricsPath);
    this.intervalMs = options.intervalMs ?? 5_000;
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.fetchFn = options.fetch ?? fetch;
    this.clock = options.clock ?? Date.now;
    if (this.intervalMs <= 0) throw new RangeError('intervalMs must be positive');
  }

  get deploymentIds(): string[] {
    return this.targets.map((d) => d.id);
  }

  start(): void {
    if (this.timer || this.targets.length === 0) return;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One round over every probed deployment; a round still running is not overlapped. */
  checkOnce(): Promise<void> {
    return this.tick();
  }

  private tick(): Promise<void> {
    if (!this.running)
      this.running = Promise.all(this.targets.map((d) => this.check(d))).then(
        () => {
          this.running = null;
        },
        () => {
          this.running = null;
        },
      );
    return this.running;
  }

  private async check(d: Deployment): Promise<void> {
    const state = this.states.get(d.id);
    if (!state) return;
    if (d.healthPath) {
      const started = this.clock();
      try {
        const res = await this.get(endpointUrl(d.baseUrl, d.healthPath));
        await res.body?.cancel();
        state.health = {
          ok: res.ok,
          status: res.status,
          latencyMs: this.clock() - started,
          checkedAt: this.clock(),
          ...(res.ok ? {} : { error: `HTTP ${res.status}` }),
        };
      } catch (err) {
        state.health = {
          ok: false,
          error: describe(err),
          latencyMs: this.clock() - started,
          checkedAt: this.clock(),
        };
      }
    }
    if (d.metricsPath) {
      try {
        const res = await this.get(endpointUrl(d.baseUrl, d.metricsPath));
        if (!res.ok) {
          await res.body?.cancel();
          return;
        }
        state.engine = { ...parseEngineMetrics(await res.text()), readAt: this.clock() };
      } catch {
        // Missing metrics only mean less information; the health probe decides availability.
      }
    }
  }

  private get(url: string): Promise<Response> {
    return this.fetchFn(url, { signal: AbortSignal.timeout(this.timeoutMs) });
  }
}

export function endpointUrl(baseUrl: string, path: string): string {
  if (/^https?:\/\//.test(path)) return path;
  if (path.startsWith('/')) return new URL(path, baseUrl).toString();
  return `${baseUrl.replace(/\/+$/, '')}/${path}`;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return 'timed out';
    // fetch wraps the socket error; its code (ECONNREFUSED) is what an operator recognises.
    const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? err.message;
  }
  return String(err);
}
