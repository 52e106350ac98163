import { findApiPrice } from './api-price-table.js';
import { tokenCostUsd, type TokenPricing } from './monthly-cost.js';
import type { UsageRow } from './usage-row.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
export const DAYS_PER_MONTH = 365.25 / 12;
const LATENCY_SAMPLE = 2048;

export interface Tally {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costUsd: number;
  /** Tokens whose cost neither the source nor a price said. */
  unpricedTokens: number;
}

function tally(): Tally {
  return {
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    costUsd: 0,
    unpricedTokens: 0,
  };
}

function add(t: Tally, row: UsageRow, cost: number | null): void {
  t.requests += row.requests;
  t.inputTokens += row.inputTokens;
  t.outputTokens += row.outputTokens;
  t.cachedInputTokens += row.cachedInputTokens;
  if (cost === null) t.unpricedTokens += row.inputTokens + row.outputTokens;
  else t.costUsd += cost;
}

/** Keeps a fixed-size uniform sample of a stream (reservoir sampling), so percentiles cost constant memory. */
class Reservoir {
  readonly values: number[] = [];
  private seen = 0;
  private seed = 42;
  push(v: number): void {
    this.seen++;
    if (this.values.length < LATENCY_SAMPLE) this.values.push(v);
    else {
      // Deterministic LCG: the same input gives the same report.
      this.seed = (this.seed * 1103515245 + 12345) % 2147483648;
      const j = this.seed % this.seen;
      if (j < LATENCY_SAMPLE) this.values[j] = v;
    }
  }
  percentile(p: number): number | null {
    if (this.values.length === 0) return null;
    const s = [...this.values].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
  }
}

const monthByDay = new Map<number, string>();
function monthOf(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let m = monthByDay.get(day);
  if (m === undefined) {
    m = new Date(day * DAY_MS).toISOString().slice(0, 7);
    monthByDay.set(day, m);
  }
  return m;
}

class WorkloadAccumulator {
  readonly total = tally();
  readonly byModel = new Map<string, Tally>();
  readonly byMonth = new Map<string, Tally>();
  /** hour index (epoch hours) → tokens; bounded by the time span, not the row count. */
  readonly hourlyOutput = new Map<number, number>();
  readonly hourlyTokens = new Map<number, number>();
  readonly dailyOutput = new Map<number, number>();
  readonly hourOfDayTokens = new Array<number>(24).fill(0);
  readonly ttft = new Reservoir();
  readonly latency = new Reservoir();
  routerScoreSum = 0;
  routerScoreCount = 0;
  restricted = 0;
  routedStrong = 0;
  routed = 0;
  residencyKnown = 0;
  firstMs = Infinity;
  lastMs = -Infinity;
  coarsestBucketMs = 0;

  add(row: UsageRow, cost: number | null): void {
    add(this.total, row, cost);
    const m = this.byModel.get(row.model) ?? tally();
    add(m, row, cost);
    this.byModel.set(row.model, m);
    const month = monthOf(row.startMs);
    const mt = this.byMonth.get(month) ?? tally();
    add(mt, row, cost);
    this.byMonth.set(month, mt);
    this.firstMs = Math.min(this.firstMs, row.startMs);
    this.lastMs = Math.max(this.lastMs, row.startMs + row.durationMs);
    this.coarsestBucketMs = Math.max(this.coarsestBucketMs, row.durationMs);
    const tokens = row.inputTokens + row.outputTokens;
    // A bucket wider than an hour is spread evenly over its hours; the profile then reports the
    // resolution it really has.
    const hours = Math.max(1, Math.round(row.durationMs / HOUR_MS));
    const h0 = Math.floor(row.startMs / HOUR_MS);
    for (let i = 0; i < hours; i++) {
      const h = h0 + i;
      this.hourlyOutput.set(h, (this.hourlyOutput.get(h) ?? 0) + row.outputTokens / hours);
      this.hourlyTokens.set(h, (this.hourlyTokens.get(h) ?? 0) + tokens / hours);
      this.hourOfDayTokens[h % 24] += tokens / hours;
    }
    const d = Math.floor(row.startMs / DAY_MS);
    this.dailyOutput.set(d, (this.dailyOutput.get(d) ?? 0) + row.outputTokens);
    if (row.ttftMs !== null) this.ttft.push(row.ttftMs);
    if (row.latencyMs !== null) this.latency.push(row.latencyMs);
    if (row.routerScore !== null) {
      this.routerScoreSum += row.routerScore * row.requests;
      this.routerScoreCount += row.requests;
    }
    if (row.routedStrong !== null) {
      this.routed += row.requests;
      if (row.routedStrong) this.routedStrong += row.requests;
    }
    if (row.restricted !== null) {
      this.residencyKnown += row.requests;
      if (row.restricted) this.restricted += row.requests;
    }
  }
}

export interface TrafficProfile {
  resolution: 'hour' | 'day';
  /** Peak period ÷ mean period, at `resolution`. */
  peakToMean: number;
  meanOutputTokensPerSecond: number;
  peakOutputTokensPerSecond: number;
  /** Share of tokens by UTC hour of day. */
  hourOfDayShare: number[];
}

export interface WorkloadSummary {
  name: string;
  total: Tally;
  spanDays: number;
  tokensPerMonth: number;
  costPerMonthUsd: number;
  inputShare: number;
  cachedShareOfInput: number;
  spendShare: number;
  cumulativeSpendShare: number;
  models: Array<{ model: string } & Tally>;
  months: Array<{ month: string } & Tally>;
  profile: TrafficProfile;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  latencyP95Ms: number | null;
  meanRouterScore: number | null;
  restrictedShare: number | null;
  /** Share of routed requests the complexity router kept on the strong model. */
  strongShare: number | null;
}

export interface AuditSummary {
  rows: number;
  problems: number;
  total: Tally;
  firstMs: number;
  lastMs: number;
  spanDays: number;
  tokensPerMonth: number;
  costPerMonthUsd: number;
  workloads: WorkloadSummary[];
  models: Array<{ model: string } & Tally>;
  months: Array<{ month: string } & Tally>;
  profile: TrafficProfile;
  unpricedModels: string[];
  priceSources: string[];
}

/**
 * Streams usage rows into per-workload, per-model and per-month tallies and the traffic profile.
 * Memory grows with workloads, models and hours covered, never with the number of rows.
 */
export class UsageAudit {
  private readonly workloads = new Map<string, WorkloadAccumulator>();
  private readonly all = new WorkloadAccumulator();
  private readonly unpriced = new Set<string>();
  private readonly priceSources = new Set<string>();
  private readonly priceCache = new Map<string, TokenPricing | null>();
  rows = 0;
  problems = 0;

  constructor(private readonly priceOverrides: Record<string, TokenPricing> = {}) {}

  private priceFor(model: string): TokenPricing | null {
    if (this.priceCache.has(model)) return this.priceCache.get(model) ?? null;
    const override = this.priceOverrides[model];
    let price: TokenPricing | null = override ?? null;
    if (!price) {
      const found = findApiPrice(model);
      if (found) {
        price = found;
        this.priceSources.add(
          `${found.model}: $${found.usdPerMillionInput} in / $${found.usdPerMillionCachedInput ?? found.usdPerMillionInput} cached / $${found.usdPerMillionOutput} out per M (${found.source}, ${found.checked})`,
        );
      }
    } else
      this.priceSources.add(
        `${model}: $${price.usdPerMillionInput} in / $${price.usdPerMillionOutput} out per M (plan config)`,
      );
    this.priceCache.set(model, price);
    return price;
  }

  add(row: UsageRow, workload: string): void {
    this.rows++;
    let cost = row.costUsd;
    if (cost === null) {
      const price = this.priceFor(row.model);
      if (price)
        cost = tokenCostUsd(
          {
            inputTokens: row.inputTokens,
            outputTokens: row.outputTokens,
            cachedInputTokens: row.cachedInputTokens,
          },
          price,
        );
      else if (row.inputTokens + row.outputTokens > 0) this.unpriced.add(row.model);
    }
    let acc = this.workloads.get(workload);
    if (!acc) {
      acc = new WorkloadAccumulator();
      this.workloads.set(workload, acc);
    }
    acc.add(row, cost);
    this.all.add(row, cost);
  }

  summary(): AuditSummary {
    const spanDays = spanOf(this.all);
    const totalCost = this.all.total.costUsd;
    const list = [...this.workloads.entries()]
      .map(([name, acc]) => summarise(name, acc, spanOf(acc), totalCost))
      .sort((a, b) => b.total.costUsd - a.total.costUsd || b.tokensPerMonth - a.tokensPerMonth);
    let cumulative = 0;
    for (const w of list) {
      cumulative += w.spendShare;
      w.cumulativeSpendShare = cumulative;
    }
    const perMonth = DAYS_PER_MONTH / spanDays;
    return {
      rows: this.rows,
      problems: this.problems,
      total: this.all.total,
      firstMs: this.all.firstMs,
      lastMs: this.all.lastMs,
      spanDays,
      tokensPerMonth: (this.all.total.inputTokens + this.all.total.outputTokens) * perMonth,
      costPerMonthUsd: totalCost * perMonth,
      workloads: list,
      models: sortedEntries(this.all.byModel, 'model'),
      months: [...this.all.byMonth.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([month, t]) => ({ month, ...t })),
      profile: profileOf(this.all, spanDays),
      unpricedModels: [...this.unpriced].sort(),
      priceSources: [...this.priceSources].sort(),
    };
  }
}

function spanOf(acc: WorkloadAccumulator): number {
  if (!Number.isFinite(acc.firstMs)) return 1;
  return Math.max(1 / 24, (acc.lastMs - acc.firstMs) / DAY_MS);
}

function sortedEntries(map: Map<string, Tally>, key: 'model'): Array<{ model: string } & Tally> {
  return [...map.entries()]
    .map(([k, t]) => ({ [key]: k, ...t }) as { model: string } & Tally)
    .sort(
      (a, b) => b.costUsd - a.costUsd || b.inputTokens + b.outputTokens - (a.inputTokens + a.outputTokens),
    );
}

function profileOf(acc: WorkloadAccumulator, spanDays: number): TrafficProfile {
  const hourly = acc.coarsestBucketMs <= HOUR_MS;
  const periods = hourly ? Math.max(1, Math.round(spanDays * 24)) : Math.max(1, Math.round(spanDays));
  const series = hourly ? acc.hourlyOutput : acc.dailyOutput;
  const periodSeconds = hourly ? 3600 : 86400;
  let peak = 0;
  let sum = 0;
  for (const v of series.values()) {
    peak = Math.max(peak, v);
    sum += v;
  }
  const mean = sum / periods;
  const totalTokens = acc.hourOfDayTokens.reduce((a, b) => a + b, 0);
  return {
    resolution: hourly ? 'hour' : 'day',
    peakToMean: mean > 0 ? peak / mean : 1,
    meanOutputTokensPerSecond: mean / periodSeconds,
    peakOutputTokensPerSecond: peak / periodSeconds,
    hourOfDayShare: acc.hourOfDayTokens.map((v) => (totalTokens > 0 ? v / totalTokens : 0)),
  };
}

function summarise(
  name: string,
  acc: WorkloadAccumulator,
  spanDays: number,
  totalCost: number,
): WorkloadSummary {
  const t = acc.total;
  const perMonth = DAYS_PER_MONTH / spanDays;
  const tokens = t.inputTokens + t.outputTokens;
  return {
    name,
    total: t,
    spanDays,
    tokensPerMonth: tokens * perMonth,
    costPerMonthUsd: t.costUsd * perMonth,
    inputShare: tokens > 0 ? t.inputTokens / tokens : 0.75,
    cachedShareOfInput: t.inputTokens > 0 ? t.cachedInputTokens / t.inputTokens : 0,
    spendShare: totalCost > 0 ? t.costUsd / totalCost : 0,
    cumulativeSpendShare: 0,
    models: sortedEntries(acc.byModel, 'model'),
    months: [...acc.byMonth.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([month, m]) => ({ month, ...m })),
    profile: profileOf(acc, spanDays),
    ttftP50Ms: acc.ttft.percentile(50),
    ttftP95Ms: acc.ttft.percentile(95),
    latencyP95Ms: acc.latency.percentile(95),
    meanRouterScore: acc.routerScoreCount > 0 ? acc.routerScoreSum / acc.routerScoreCount : null,
    restrictedShare: acc.residencyKnown > 0 ? acc.restricted / acc.residencyKnown : null,
    strongShare: acc.routed > 0 ? acc.routedStrong / acc.routed : null,
  };
}
