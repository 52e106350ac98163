import { describe, expect, it } from 'vitest';
import { budgetSchema, type BudgetConfig } from '../../src/config/schema/cost-schema.js';
import { BudgetGuard, type BudgetAlert, type Reservation } from '../../src/limits/budget-guard.js';
import { InMemoryCounterStore } from '../../src/limits/in-memory-counter-store.js';
import { GatewayError } from '../../src/spec/gateway-error.js';

const NOW = Date.UTC(2026, 10, 25, 15, 30); // 2026-11-25T15:30Z
const ctx = { keyId: 'key-1', team: 'research', workload: 'support' };
const budget = (b: Partial<BudgetConfig> & Pick<BudgetConfig, 'id' | 'scope' | 'window' | 'limitUsd'>) =>
  budgetSchema.parse(b);

function setup(budgets: BudgetConfig[]) {
  const store = new InMemoryCounterStore(() => NOW);
  const logs: string[] = [];
  const posted: Array<{ url: string; alert: BudgetAlert }> = [];
  const guard = new BudgetGuard(budgets, store, {
    now: () => NOW,
    logger: { warn: (m) => logs.push(m) },
    postAlert: async (url, alert) => {
      posted.push({ url, alert });
    },
  });
  return { guard, store, logs, posted };
}

const isReservation = (r: Reservation | GatewayError): r is Reservation => !(r instanceof GatewayError);

describe('BudgetGuard: hard budgets', () => {
  it('50 concurrent requests: admits exactly what fits and refuses the rest with the exact error', async () => {
    const { guard } = setup([budget({ id: 'team-daily', scope: 'team', window: 'daily', limitUsd: 10 })]);
    const results = await Promise.all(Array.from({ length: 50 }, () => guard.admit(ctx, 0.3)));
    const admitted = results.filter(isReservation);
    const refused = results.filter((r): r is GatewayError => r instanceof GatewayError);
    // floor(10 / 0.3) = 33 reservations fit ($9.90); the 34th would make $10.20.
    expect(admitted).toHaveLength(33);
    expect(refused).toHaveLength(17);
    const err = refused[0];
    expect(err.status).toBe(429);
    expect(err.toBody()).toEqual({
      error: {
        type: 'insufficient_quota',
        code: 'budget_exceeded',
        param: null,
        message:
          "Budget 'team-daily' for team 'research' exceeded: limit $10.00, spent $9.90 (including requests in flight), " +
          'this request may cost up to $0.30. It resets at 2026-11-26T00:00:00.000Z.',
      },
    });
    expect(err.headers['retry-after']).toBe(String(8.5 * 3600));
    expect(err.headers['x-should-retry']).toBe('false');
  });

  it('overspend is bounded by what in-flight requests cost beyond their estimates', async () => {
    const { guard, store } = setup([budget({ id: 'g', scope: 'global', window: 'monthly', limitUsd: 5 })]);
    const first = await Promise.all(Array.from({ length: 50 }, () => guard.admit(ctx, 0.5)));
    const admitted = first.filter(isReservation);
    expect(admitted).toHaveLength(10);
    // Each really cost $0.60 (a request without max_tokens ran past the default): $1.00 over.
    await Promise.all(admitted.map((r) => guard.settle(r, 0.6)));
    const spent = await store.get(`budget:g:*:${Date.UTC(2026, 10, 1)}`);
    expect(spent).toBeCloseTo(6, 9);
    expect(spent - 5).toBeLessThanOrEqual(admitted.length * (0.6 - 0.5) + 1e-9);
    // Once over, nothing more is admitted, however cheap.
    expect(await guard.admit(ctx, 0)).toBeInstanceOf(GatewayError);
  });

  it('settling below the estimate frees the difference', async () => {
    const { guard } = setup([budget({ id: 'k', scope: 'key', window: { hours: 1 }, limitUsd: 1 })]);
    const a = await guard.admit(ctx, 1);
    expect(isReservation(a)).toBe(true);
    expect(await guard.admit(ctx, 0.5)).toBeInstanceOf(GatewayError);
    if (isReservation(a)) await guard.settle(a, 0.25);
    expect(isReservation(await guard.admit(ctx, 0.5))).toBe(true);
  });

  it('budgets are per subject unless matched, and a refusal releases earlier reservations', async () => {
    const { guard, store } = setup([
      budget({ id: 'all', scope: 'global', window: 'daily', limitUsd: 100 }),
      budget({ id: 'per-key', scope: 'key', window: 'daily', limitUsd: 1 }),
      budget({ id: 'support-only', scope: 'workload', match: 'batch', window: 'daily', limitUsd: 0.01 }),
    ]);
    expect(isReservation(await guard.admit(ctx, 1))).toBe(true);
    const refused = await guard.admit(ctx, 1);
    expect(refused).toBeInstanceOf(GatewayError);
    expect((refused as GatewayError).message).toMatch(/Budget 'per-key' for key 'key-1'/);
    expect(isReservation(await guard.admit({ ...ctx, keyId: 'key-2' }, 1))).toBe(true);
    // The global line reserved for the refused request was given back.
    expect(await store.get(`budget:all:*:${Date.UTC(2026, 10, 25)}`)).toBe(2);
  });

  it('a request too large for an empty budget is refused without a 100% alert', async () => {
    const { guard, logs } = setup([budget({ id: 'g', scope: 'global', window: 'daily', limitUsd: 1 })]);
    const err = await guard.admit(ctx, 5);
    expect((err as GatewayError).message).toMatch(/limit \$1\.00, spent \$0\.00 .* may cost up to \$5\.00/);
    await guard.alertsSent();
    expect(logs).toEqual([]);
  });

  it('settling a reservation twice counts it once', async () => {
    const { guard, store } = setup([budget({ id: 'g', scope: 'global', window: 'daily', limitUsd: 10 })]);
    const r = await guard.admit(ctx, 2);
    if (!isReservation(r)) throw r;
    await guard.settle(r, 1);
    expect(await guard.settle(r, 1)).toEqual([]);
    expect(await store.get(`budget:g:*:${Date.UTC(2026, 10, 25)}`)).toBe(1);
  });

  it('an unknown cost settles at the estimate, not at zero', async () => {
    const { guard, store } = setup([budget({ id: 'g', scope: 'global', window: 'daily', limitUsd: 10 })]);
    const r = await guard.admit(ctx, 2);
    if (isReservation(r)) await guard.settle(r, null);
    expect(await store.get(`budget:g:*:${Date.UTC(2026, 10, 25)}`)).toBe(2);
  });
});

describe('BudgetGuard: soft budgets', () => {
  it('never refuse, and alert once per window at 50, 80 and 100%', async () => {
    const { guard, logs, posted } = setup([
      budget({
        id: 'soft',
        scope: 'workload',
        window: 'daily',
        limitUsd: 10,
        mode: 'soft',
        alertWebhook: 'http://127.0.0.1:9/hook',
      }),
    ]);
    const spend = async (usd: number) => {
      const r = await guard.admit(ctx, usd);
      if (!isReservation(r)) throw new Error('soft budget refused');
      await guard.settle(r, usd);
      await guard.alertsSent();
    };
    await spend(4);
    expect(posted).toHaveLength(0);
    await spend(1.5); // 55%
    await spend(0.5); // 60%: 50% already sent
    expect(posted.map((p) => p.alert.thresholdPct)).toEqual([50]);
    await spend(3); // 90%
    await spend(2); // 110%
    await spend(5);
    expect(posted.map((p) => p.alert.thresholdPct)).toEqual([50, 80, 100]);
    expect(posted[0]).toEqual({
      url: 'http://127.0.0.1:9/hook',
      alert: {
        type: 'budget_alert',
        budgetId: 'soft',
        scope: 'workload',
        subject: 'support',
        mode: 'soft',
        thresholdPct: 50,
        usedUsd: 5.5,
        limitUsd: 10,
        windowStart: '2026-11-25T00:00:00.000Z',
        resetsAt: '2026-11-26T00:00:00.000Z',
      },
    });
    expect(logs).toHaveLength(3);
    expect(logs[2]).toMatch(/budget 'soft' \(workload support\) reached 100%/);
  });

  it('a failing webhook is logged, not thrown', async () => {
    const store = new InMemoryCounterStore(() => NOW);
    const logs: string[] = [];
    const guard = new BudgetGuard(
      [
        budget({
          id: 's',
          scope: 'global',
          window: 'daily',
          limitUsd: 1,
          mode: 'soft',
          alertWebhook: 'http://127.0.0.1:9/x',
        }),
      ],
      store,
      {
        now: () => NOW,
        logger: { warn: (m) => logs.push(m) },
        postAlert: () => Promise.reject(new Error('refused')),
      },
    );
    const r = await guard.admit(ctx, 1);
    if (isReservation(r)) await guard.settle(r, 1);
    await guard.alertsSent();
    expect(logs.filter((l) => l.includes('webhook failed: refused'))).toHaveLength(3);
  });
});

describe('BudgetGuard: webhook', () => {
  it('POSTs the alert as JSON to the webhook', async () => {
    const { createServer } = await import('node:http');
    const received: Array<{ method?: string; type?: string; body: unknown }> = [];
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (d: Buffer) => (text += d.toString()));
      req.on('end', () => {
        received.push({ method: req.method, type: req.headers['content-type'], body: JSON.parse(text) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as { port: number };
      const store = new InMemoryCounterStore(() => NOW);
      const guard = new BudgetGuard(
        [
          budget({
            id: 'w',
            scope: 'global',
            window: 'daily',
            limitUsd: 2,
            mode: 'soft',
            alertWebhook: `http://127.0.0.1:${port}/hook`,
          }),
        ],
        store,
        { now: () => NOW },
      );
      const r = await guard.admit(ctx, 1);
      if (isReservation(r)) await guard.settle(r, 1);
      await guard.alertsSent();
      expect(received).toEqual([
        {
          method: 'POST',
          type: 'application/json',
          body: expect.objectContaining({
            type: 'budget_alert',
            budgetId: 'w',
            thresholdPct: 50,
            usedUsd: 1,
          }),
        },
      ]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
