import type { RolloutConfig } from './rollout-config.js';
import type { RolloutEvent, RolloutNotifier } from './rollout-controller.js';

/** Sends one request; resolves with the HTTP status, rejects on a network error or timeout. */
export type PostJson = (url: string, body: string, timeoutMs: number) => Promise<number>;

export interface WebhookNotifierOptions {
  post?: PostJson;
  /** Waits between attempts; injectable so tests do not sleep. */
  sleep?: (ms: number) => Promise<void>;
  /** First retry delay; each later one doubles. */
  backoffMs?: number;
  log?: (message: string) => void;
}

const postWithFetch: PostJson = async (url, body, timeoutMs) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'switchyard-rollouts' },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  // Drain the body so the connection returns to the pool.
  await res.arrayBuffer().catch(() => undefined);
  return res.status;
};

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Announces rollout transitions to each rollout's `webhook.url` as a JSON POST. `notify` only queues:
 * delivery runs in the background, in order per route, with a timeout per attempt and exponential
 * backoff between attempts; a 4xx other than 408 and 429 means the receiver refuses the payload and
 * is not retried. A delivery that never succeeds is logged, never thrown: announcing a rollback must
 * not stop it.
 */
export class WebhookNotifier implements RolloutNotifier {
  private readonly post: PostJson;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly backoffMs: number;
  private readonly log: (message: string) => void;
  private readonly queues = new Map<string, Promise<void>>();

  constructor(options: WebhookNotifierOptions = {}) {
    this.post = options.post ?? postWithFetch;
    this.sleep = options.sleep ?? sleepFor;
    this.backoffMs = options.backoffMs ?? 1_000;
    this.log = options.log ?? ((message) => void process.stderr.write(`${message}\n`));
  }

  notify(config: RolloutConfig, event: RolloutEvent): void {
    const webhook = config.webhook;
    if (!webhook) return;
    const body = JSON.stringify(event);
    const previous = this.queues.get(config.route) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(webhook, body, event));
    this.queues.set(config.route, next);
  }

  /** Resolves when every queued delivery has succeeded or given up (at shutdown, and in tests). */
  async flush(): Promise<void> {
    while (true) {
      const pending = [...this.queues.values()];
      await Promise.all(pending);
      if ([...this.queues.values()].every((q, i) => q === pending[i])) return;
    }
  }

  private async deliver(
    webhook: NonNullable<RolloutConfig['webhook']>,
    body: string,
    event: RolloutEvent,
  ): Promise<void> {
    let problem = '';
    for (let attempt = 1; attempt <= webhook.maxAttempts; attempt++) {
      try {
        const status = await this.post(webhook.url, body, webhook.timeoutMs);
        if (status >= 200 && status < 300) return;
        problem = `answered ${status}`;
        if (status >= 400 && status < 500 && status !== 408 && status !== 429) break;
      } catch (err) {
        const e = err as Error;
        problem = e.name === 'TimeoutError' ? `no answer within ${webhook.timeoutMs} ms` : e.message;
      }
      if (attempt < webhook.maxAttempts) await this.sleep(this.backoffMs * 2 ** (attempt - 1));
    }
    this.log(
      `rollout ${event.transition.route}: webhook ${webhook.url} not delivered (${event.transition.kind} ${event.transition.fromPercent}% → ${event.transition.toPercent}%): ${problem}`,
    );
  }
}
