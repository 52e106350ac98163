import type { BudgetConfig } from '../config/schema/cost-schema.js';
import type { CounterStore } from '../spec/counter-store.js';
import { GatewayError } from '../spec/gateway-error.js';
import { budgetWindowAt } from './budget-window.js';
import { silentLogger, type CostLogger } from './cost-logger.js';

/** What restoring spend reads from a request record. */
export interface RestorableRecord {
  keyId: string | null;
  team: string | null;
  workload: string | null;
  startedAt: number;
  costUsd: number | null;
}

export interface BudgetContext {
  keyId: string | null;
  team: string | null;
  workload: string | null;
}

export interface ReservationLine {
  budgetId: string;
  /** Who this budget line counts for: the key id, team or workload, or `*` for global. */
  subject: string;
  counterKey: string;
  amountUsd: number;
  windowStartMs: number;
  windowEndMs: number;
}

/** What a request admitted under its budgets holds until it is settled with its real cost. */
export interface Reservation {
  readonly estimateUsd: number;
  readonly lines: readonly ReservationLine[];
}

export interface BudgetUse {
  budgetId: string;
  subject: string;
  usedUsd: number;
  limitUsd: number;
}

export interface BudgetAlert {
  type: 'budget_alert';
  budgetId: string;
  scope: BudgetConfig['scope'];
  subject: string;
  mode: BudgetConfig['mode'];
  thresholdPct: number;
  usedUsd: number;
  limitUsd: number;
  windowStart: string;
  resetsAt: string;
}

export interface BudgetGuardOptions {
  now?: () => number;
  logger?: CostLogger;
  /** Sends a webhook alert; defaults to a JSON POST with fetch. */
  postAlert?: (url: string, alert: BudgetAlert) => Promise<void>;
}

const ALERT_THRESHOLDS = [0.5, 0.8, 1];
const ALERT_TIMEOUT_MS = 5_000;

async function postJson(url: string, alert: BudgetAlert): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alert),
    signal: AbortSignal.timeout(ALERT_TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`webhook answered ${res.status}`);
}

const usd = (n: number) => `$${n.toFixed(2)}`;

function subjectOf(budget: BudgetConfig, ctx: BudgetContext): string | null {
  if (budget.scope === 'global') return '*';
  const value = budget.scope === 'key' ? ctx.keyId : budget.scope === 'team' ? ctx.team : ctx.workload;
  if (value === null) return null;
  if (budget.match !== undefined && value !== budget.match) return null;
  return value;
}

/**
 * Spend limits per key, team, workload or globally. A request reserves its worst-case estimate
 * against every budget it falls under in one atomic store call per budget, and settles to its real
 * cost when done, so concurrent requests can overspend a hard budget by no more than the amount
 * their real costs exceed their estimates.
 */
export class BudgetGuard {
  private readonly now: () => number;
  private readonly logger: CostLogger;
  private readonly postAlert: (url: string, alert: BudgetAlert) => Promise<void>;
  private readonly byId: Map<string, BudgetConfig>;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly settled = new WeakSet<Reservation>();
  /** Subjects with spend found by `restore`, per budget. */
  private readonly restoredSubjects = new Map<string, Set<string>>();

  constructor(
    private readonly budgets: readonly BudgetConfig[],
    private readonly store: CounterStore,
    options: BudgetGuardOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
    this.postAlert = options.postAlert ?? postJson;
    this.byId = new Map(budgets.map((b) => [b.id, b]));
  }

  /** Reserves `estimateUsd` under every budget the request falls under, or refuses under the first hard one that is full. */
  async admit(ctx: BudgetContext, estimateUsd: number): Promise<Reservation | GatewayError> {
    const nowMs = this.now();
    const amount = Math.max(0, estimateUsd);
    const lines: ReservationLine[] = [];
    for (const budget of this.budgets) {
      const subject = subjectOf(budget, ctx);
      if (subject === null) continue;
      const { startMs, endMs } = budgetWindowAt(budget.window, nowMs);
      const counterKey = `budget:${budget.id}:${subject}:${startMs}`;
      const limit = budget.mode === 'hard' ? budget.limitUsd : Number.POSITIVE_INFINITY;
      const result = await this.store.reserve(counterKey, amount, limit, endMs);
      if (!result.allowed) {
        await this.release(lines);
        this.alert(budget, subject, result.used, startMs, endMs, result.used / budget.limitUsd);
        return this.exceeded(budget, subject, result.used, amount, endMs, nowMs);
      }
      lines.push({
        budgetId: budget.id,
        subject,
        counterKey,
        amountUsd: amount,
        windowStartMs: startMs,
        windowEndMs: endMs,
      });
    }
    return { estimateUsd: amount, lines };
  }

  /**
   * Replaces the reservation with what the request really cost. An unknown cost (null) keeps the
   * estimate: spend that cannot be priced is counted at its worst case, not as free.
   */
  async settle(reservation: Reservation, actualUsd: number | null): Promise<BudgetUse[]> {
    // Settling twice would count the request's cost twice.
    if (this.settled.has(reservation)) return [];
    this.settled.add(reservation);
    const uses: BudgetUse[] = [];
    for (const line of reservation.lines) {
      const actual = actualUsd === null ? line.amountUsd : Math.max(0, actualUsd);
      const used = await this.store.settle(line.counterKey, line.amountUsd, actual, line.windowEndMs);
      const budget = this.byId.get(line.budgetId);
      if (!budget) continue;
      uses.push({ budgetId: budget.id, subject: line.subject, usedUsd: used, limitUsd: budget.limitUsd });
      this.alert(budget, line.subject, used, line.windowStartMs, line.windowEndMs, used / budget.limitUsd);
    }
    return uses;
  }

  private async release(lines: ReservationLine[]): Promise<void> {
    for (const line of lines) await this.store.settle(line.counterKey, line.amountUsd, 0, line.windowEndMs);
  }

  private exceeded(
    budget: BudgetConfig,
    subject: string,
    usedUsd: number,
    neededUsd: number,
    resetMs: number,
    nowMs: number,
  ): GatewayError {
    const who = budget.scope === 'global' ? '' : ` for ${budget.scope} '${subject}'`;
    const resetsAt = new Date(resetMs).toISOString();
    return new GatewayError({
      status: 429,
      // OpenAI reports a spent quota as type insufficient_quota (429), distinct from rate_limit_error.
      type: 'insufficient_quota',
      code: 'budget_exceeded',
      message:
        `Budget '${budget.id}'${who} exceeded: limit ${usd(budget.limitUsd)}, ` +
        `spent ${usd(usedUsd)} (including requests in flight), this request may cost up to ${usd(neededUsd)}. ` +
        `It resets at ${resetsAt}.`,
      headers: {
        'retry-after': String(Math.max(1, Math.ceil((resetMs - nowMs) / 1000))),
        // The OpenAI SDKs retry 429s by default; waiting for a budget to reset is not worth it.
        'x-should-retry': 'false',
      },
    });
  }

  private alert(
    budget: BudgetConfig,
    subject: string,
    usedUsd: number,
    startMs: number,
    endMs: number,
    ratio: number,
  ): void {
    for (const threshold of ALERT_THRESHOLDS) {
      if (ratio < threshold) break;
      const pct = Math.round(threshold * 100);
      const key = `budget-alert:${budget.id}:${subject}:${startMs}:${pct}`;
      const sent = this.store
        .incr(key, 1, Math.max(1, endMs - this.now()))
        .then((n) => {
          if (n !== 1) return;
          const alert: BudgetAlert = {
            type: 'budget_alert',
            budgetId: budget.id,
            scope: budget.scope,
            subject,
            mode: budget.mode,
            thresholdPct: pct,
            usedUsd,
            limitUsd: budget.limitUsd,
            windowStart: new Date(startMs).toISOString(),
            resetsAt: new Date(endMs).toISOString(),
          };
          this.logger.warn(
            `budget '${budget.id}' (${budget.scope} ${subject}) reached ${pct}%: ${usd(usedUsd)} of ${usd(budget.limitUsd)}`,
            { ...alert },
          );
          if (budget.alertWebhook)
            return this.postAlert(budget.alertWebhook, alert).catch((err: unknown) =>
              this.logger.warn(`budget alert webhook failed: ${(err as Error).message}`, {
                budgetId: budget.id,
                url: budget.alertWebhook,
              }),
            );
        })
        .catch((err: unknown) =>
          this.logger.warn(`budget alert failed: ${(err as Error).message}`, { budgetId: budget.id }),
        )
        .finally(() => this.pending.delete(sent));
      this.pending.add(sent);
    }
  }

  /**
   * Every budget's use in its current window, for the budget gauges: global budgets and budgets
   * naming one subject (`match`) always, others for every subject that has spent in the window.
   * Called at start-up after `restore`, so the gauges (and alerts on them) survive a restart.
   */
  async currentUses(): Promise<BudgetUse[]> {
    const nowMs = this.now();
    const uses: BudgetUse[] = [];
    for (const budget of this.budgets) {
      const { startMs } = budgetWindowAt(budget.window, nowMs);
      const subjects = new Set(this.restoredSubjects.get(budget.id) ?? []);
      if (budget.scope === 'global') subjects.add('*');
      else if (budget.match !== undefined) subjects.add(budget.match);
      for (const subject of subjects) {
        const used = await this.store.get(`budget:${budget.id}:${subject}:${startMs}`);
        uses.push({ budgetId: budget.id, subject, usedUsd: used, limitUsd: budget.limitUsd });
      }
    }
    return uses;
  }

  /** Start of the oldest window any budget is counting now: records from then on hold its spend. */
  earliestWindowStartMs(): number {
    const nowMs = this.now();
    return Math.min(nowMs, ...this.budgets.map((b) => budgetWindowAt(b.window, nowMs).startMs));
  }

  /**
   * Counts spend already recorded in the current windows, so a restart does not hand every budget
   * a fresh allowance. Records with an unknown cost are skipped: their worst case is not known.
   */
  async restore(records: AsyncIterable<RestorableRecord>): Promise<number> {
    const nowMs = this.now();
    const windows = this.budgets.map((b) => ({ budget: b, ...budgetWindowAt(b.window, nowMs) }));
    let restored = 0;
    for await (const record of records) {
      if (record.costUsd === null || record.costUsd <= 0) continue;
      const ctx = { keyId: record.keyId, team: record.team, workload: record.workload };
      for (const { budget, startMs, endMs } of windows) {
        if (record.startedAt < startMs || record.startedAt >= endMs) continue;
        const subject = subjectOf(budget, ctx);
        if (subject === null) continue;
        await this.store.settle(`budget:${budget.id}:${subject}:${startMs}`, 0, record.costUsd, endMs);
        let seen = this.restoredSubjects.get(budget.id);
        if (!seen) this.restoredSubjects.set(budget.id, (seen = new Set()));
        seen.add(subject);
      }
      restored++;
    }
    return restored;
  }

  /** Resolves when every alert already triggered has been logged and posted (for shutdown). */
  async alertsSent(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}
