import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RolloutEvent } from '../../src/rollout/rollout-controller.js';
import { WebhookNotifier } from '../../src/rollout/webhook-notifier.js';
import { rolloutConfig } from './rollout-harness.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve).closeAllConnections())),
  );
});

/** A receiver that answers each POST with the next status in `statuses` (null: never answers). */
async function receiver(statuses: (number | null)[]) {
  const bodies: unknown[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      bodies.push(JSON.parse(text));
      const status = statuses.length > 0 ? statuses.shift() : 200;
      if (typeof status === 'number') res.writeHead(status).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies };
}

function event(kind: 'advance' | 'rollback', atMs: number): RolloutEvent {
  return {
    type: 'rollout.transition',
    id: `r/${atMs}/${kind}`,
    transition: {
      route: 'support',
      rolloutId: 'r',
      atMs,
      kind,
      actor: 'controller',
      dryRun: false,
      fromPercent: 5,
      toPercent: kind === 'advance' ? 25 : 0,
      fromStage: 1,
      toStage: kind === 'advance' ? 2 : -1,
      reason: 'because',
      check: null,
    },
    rollout: {} as RolloutEvent['rollout'],
  };
}

describe('WebhookNotifier', () => {
  it('POSTs each transition as JSON, retrying with growing delays until the receiver accepts', async () => {
    const hook = await receiver([500, 503, 204]);
    const delays: number[] = [];
    const logs: string[] = [];
    const notifier = new WebhookNotifier({
      sleep: async (ms) => void delays.push(ms),
      backoffMs: 100,
      log: (m) => logs.push(m),
    });
    const config = rolloutConfig({ webhook: { url: hook.url } });
    notifier.notify(config, event('advance', 1));
    await notifier.flush();
    expect(hook.bodies).toHaveLength(3);
    expect(hook.bodies[2]).toEqual(JSON.parse(JSON.stringify(event('advance', 1))));
    expect(delays).toEqual([100, 200]);
    expect(logs).toEqual([]);
  });

  it('delivers a route’s transitions in order', async () => {
    const hook = await receiver([500, 200, 200]);
    const notifier = new WebhookNotifier({ sleep: async () => {}, log: () => {} });
    const config = rolloutConfig({ webhook: { url: hook.url } });
    notifier.notify(config, event('advance', 1));
    notifier.notify(config, event('rollback', 2));
    await notifier.flush();
    expect(hook.bodies.map((b) => (b as RolloutEvent).id)).toEqual([
      'r/1/advance',
      'r/1/advance',
      'r/2/rollback',
    ]);
  });

  it('gives up after maxAttempts, or at once on a refusal, and logs why without throwing', async () => {
    const down = await receiver([500, 500]);
    const refusing = await receiver([400]);
    const logs: string[] = [];
    const notifier = new WebhookNotifier({ sleep: async () => {}, log: (m) => logs.push(m) });
    notifier.notify(rolloutConfig({ webhook: { url: down.url, maxAttempts: 2 } }), event('rollback', 1));
    notifier.notify(rolloutConfig({ route: 'billing', webhook: { url: refusing.url } }), event('advance', 1));
    await notifier.flush();
    expect(down.bodies).toHaveLength(2);
    expect(refusing.bodies).toHaveLength(1);
    expect(logs.sort()).toEqual(
      [
        `rollout support: webhook ${down.url} not delivered (rollback 5% → 0%): answered 500`,
        `rollout support: webhook ${refusing.url} not delivered (advance 5% → 25%): answered 400`,
      ].sort(),
    );
  });

  it('abandons an attempt the receiver does not answer within timeoutMs', async () => {
    const silent = await receiver([null]);
    const logs: string[] = [];
    const notifier = new WebhookNotifier({ sleep: async () => {}, log: (m) => logs.push(m) });
    notifier.notify(
      rolloutConfig({ webhook: { url: silent.url, timeoutMs: 100, maxAttempts: 1 } }),
      event('advance', 1),
    );
    await notifier.flush();
    expect(silent.bodies).toHaveLength(1);
    expect(logs).toEqual([
      `rollout support: webhook ${silent.url} not delivered (advance 5% → 25%): no answer within 100 ms`,
    ]);
  });

  it('does nothing for a rollout without a webhook', async () => {
    const notifier = new WebhookNotifier({ post: async () => Promise.reject(new Error('must not post')) });
    notifier.notify(rolloutConfig(), event('advance', 1));
    await notifier.flush();
  });
});
