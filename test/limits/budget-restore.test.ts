import { describe, expect, it } from 'vitest';
import { BudgetGuard, type RestorableRecord } from '../../src/limits/budget-guard.js';
import { InMemoryCounterStore } from '../../src/limits/in-memory-counter-store.js';
import { GatewayError } from '../../src/spec/gateway-error.js';

const NOW = Date.UTC(2026, 10, 25, 15, 0, 0);

async function* from(records: RestorableRecord[]) {
  yield* records;
}

const record = (workload: string, startedAt: number, costUsd: number | null): RestorableRecord => ({
  keyId: 'k1',
  team: null,
  workload,
  startedAt,
  costUsd,
});

describe('BudgetGuard.restore', () => {
  it('counts spend already recorded in the current window, so a restart grants no fresh allowance', async () => {
    const guard = new BudgetGuard(
      [{ id: 'batch-daily', scope: 'workload', match: 'batch', window: 'daily', limitUsd: 10, mode: 'hard' }],
      new InMemoryCounterStore(() => NOW),
      { now: () => NOW },
    );
    expect(guard.earliestWindowStartMs()).toBe(Date.UTC(2026, 10, 25));
    await guard.restore(
      from([
        record('batch', Date.UTC(2026, 10, 24, 23, 0), 50), // yesterday: another window
        record('batch', Date.UTC(2026, 10, 25, 1, 0), 6),
        record('batch', Date.UTC(2026, 10, 25, 2, 0), 3),
        record('batch', Date.UTC(2026, 10, 25, 3, 0), null), // unpriced: not counted
        record('chat', Date.UTC(2026, 10, 25, 3, 0), 100), // another workload
      ]),
    );
    // $9 of $10 spent today: a $0.50 request fits, a $2 one does not.
    expect(await guard.admit({ keyId: 'k1', team: null, workload: 'batch' }, 0.5)).not.toBeInstanceOf(
      GatewayError,
    );
    const refused = await guard.admit({ keyId: 'k1', team: null, workload: 'batch' }, 2);
    expect(refused).toBeInstanceOf(GatewayError);
    expect((refused as GatewayError).code).toBe('budget_exceeded');
  });
});
