import { HOURS_PER_MONTH } from '../cost/self-hosted-cost.js';
import { formatUsdRate } from './format-usd.js';
import { percentile } from '../usage/percentile.js';
import { UsagePricer, type PriceBasis } from './usage-pricer.js';
import type { BilledCost, EmptySpan, UsageRow } from './usage-row.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/**
 * The month usage is scaled to: the same 730 hours GPUs are costed on, so API spend and
 * self-hosted cost are always compared over one period.
 */
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;
const LATENCY_SAMPLE = 2048;

export interface Tally {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  /** Spend of the priced tokens: what the source said, or the list price. */
  costUsd: number;
  /** Tokens with a cost, from the source or a price. */
  pricedTokens: number;
  /** Tokens whose cost neither the source nor a price said: never counted as $0. */
  unpricedTokens: number;
}

function tally(): Tally {
  return {
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    costUsd: 0,
    pricedTokens: 0,
    unpricedTokens: 0,
  };
}

function add(t: Tally, row: UsageRow, cost: number | null): void {
  t.requests += row.requests;
  t.inputTokens += row.inputTokens;
  t.outputTokens += row.outputTokens;
  t.cachedInputTokens += row.cachedInputTokens;
  if (cost === null) t.unpricedTokens += row.inputTokens + row.outputTokens;
  else {
    t.costUsd += cost;
    t.pricedTokens += row.inputTokens + row.outputTokens;
  }
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
    return percentile(
      [...this.values].sort((a, b) => a - b),
      p / 100,
    );
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

  /** Time an export covers, with or without usage in it. */
  cover(startMs: number, endMs: number): void {
    this.firstMs = Math.min(this.firstMs, startMs);
    this.lastMs = Math.max(this.lastMs, endMs);
  }

  add(row: UsageRow, cost: number | null): void {
    add(this.total, row, cost);
    const m = this.byModel.get(row.model) ?? tally();
    add(m, row, cost);
    this.byModel.set(row.model, m);
    const month = monthOf(row.startMs);
    const mt = this.byMonth.get(month) ?? tally();
    add(mt, row, cost);
    this.byMonth.set(month, mt);
    this.cover(row.startMs, row.startMs + row.durationMs);
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
  /** Share of the priced spend; null when none of the workload's tokens has a price. */
  spendShare: number | null;
  /** Running total of `spendShare` down the Pareto order; null for a workload with no price. */
  cumulativeSpendShare: number | null;
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

/** A model whose tokens could not be priced, and why. */
export interface UnpricedModel {
  model: string;
  tokens: number;
  reason: string;
}

/** Spend computed from usage against what the vendor billed for the same days. */
export interface Reconciliation {
  firstMs: number;
  lastMs: number;
  days: number;
  billedUsd: number;
  /** Priced spend of the usage rows that fall on the billed days. */
  computedUsd: number;
  /** Computed − billed. */
  differenceUsd: number;
  /** Difference as a share of billed; null when nothing was billed. */
  differenceShare: number | null;
  /** Tokens on those days that have no price, so are missing from the computed side. */
  unpricedTokens: number;
  byLineItem: Array<{ lineItem: string; usd: number }>;
}

export interface AuditSummary {
  rows: number;
  problems: number;
  /** Buckets of an export with no usage in them. */
  emptyBuckets: number;
  total: Tally;
  firstMs: number;
  lastMs: number;
  spanDays: number;
  tokensPerMonth: number;
  /** Priced spend scaled to a month; unpriced tokens are not in it. */
  costPerMonthUsd: number;
  workloads: WorkloadSummary[];
  models: Array<{ model: string } & Tally>;
  months: Array<{ month: string } & Tally>;
  profile: TrafficProfile;
  unpriced: UnpricedModel[];
  unpricedModels: string[];
  priceBases: PriceBasis[];
  /** The price behind each model's spend, one line each: rates, terms, source and date. */
  priceSources: string[];
  reconciliation: Reconciliation | null;
}

/**
 * Streams usage rows into per-workload, per-model and per-month tallies and the traffic profile.
 * Memory grows with workloads, models and hours covered, never with the number of rows. Every
 * monthly rate is taken over the whole period the files cover, so a workload used on one day of a
 * month counts as one day's use, not thirty.
 */
export class UsageAudit {
  private readonly workloads = new Map<string, WorkloadAccumulator>();
  private readonly all = new WorkloadAccumulator();
  private readonly unpriced = new Map<string, UnpricedModel>();
  private readonly pricer: UsagePricer;
  /** UTC day index → priced spend and unpriced tokens, for reconciliation with billed costs. */
  private readonly dailyCost = new Map<number, { usd: number; unpricedTokens: number }>();
  private readonly billed: BilledCost[] = [];
  rows = 0;
  problems = 0;
  emptyBuckets = 0;

  constructor(pricer: UsagePricer = new UsagePricer()) {
    this.pricer = pricer;
  }

  add(row: UsageRow, workload: string): void {
    this.rows++;
    let cost = row.costUsd;
    if (cost === null) {
      const priced = this.pricer.price(row);
      cost = priced.costUsd;
      if (priced.costUsd === null && row.inputTokens + row.outputTokens > 0) {
        const u = this.unpriced.get(row.model) ?? { model: row.model, tokens: 0, reason: priced.reason };
        u.tokens += row.inputTokens + row.outputTokens;
        this.unpriced.set(row.model, u);
      }
    }
    let acc = this.workloads.get(workload);
    if (!acc) {
      acc = new WorkloadAccumulator();
      this.workloads.set(workload, acc);
    }
    acc.add(row, cost);
    this.all.add(row, cost);
    const day = Math.floor(row.startMs / DAY_MS);
    const d = this.dailyCost.get(day) ?? { usd: 0, unpricedTokens: 0 };
    if (cost === null) d.unpricedTokens += row.inputTokens + row.outputTokens;
    else d.usd += cost;
    this.dailyCost.set(day, d);
  }

  /** A bucket the export covers with no usage in it: it lengthens the period, adds nothing. */
  addEmpty(span: EmptySpan): void {
    this.emptyBuckets++;
    this.all.cover(span.startMs, span.endMs);
  }

  /** What a vendor billed, kept beside the usage to reconcile against, never added to it. */
  addBilled(cost: BilledCost): void {
    this.billed.push(cost);
  }

  summary(): AuditSummary {
    const spanDays = spanOf(this.all);
    const totalCost = this.all.total.costUsd;
    const list = [...this.workloads.entries()]
      .map(([name, acc]) => summarise(name, acc, spanDays, totalCost))
      // Priced workloads by spend, then those with no price, which have no place in a Pareto of spend.
      .sort(
        (a, b) =>
          Number(a.spendShare === null) - Number(b.spendShare === null) ||
          b.total.costUsd - a.total.costUsd ||
          b.tokensPerMonth - a.tokensPerMonth,
      );
    let cumulative = 0;
    for (const w of list) {
      if (w.spendShare === null) continue;
      cumulative += w.spendShare;
      w.cumulativeSpendShare = cumulative;
    }
    const perMonth = DAYS_PER_MONTH / spanDays;
    const bases = this.pricer.bases();
    const unpriced = [...this.unpriced.values()].sort((a, b) => b.tokens - a.tokens);
    return {
      rows: this.rows,
      problems: this.problems,
      emptyBuckets: this.emptyBuckets,
      total: this.all.total,
      firstMs: this.all.firstMs,
      lastMs: this.all.lastMs,
      spanDays,
      tokensPerMonth: (this.all.total.inputTokens + this.all.total.outputTokens) * perMonth,
      costPerMonthUsd: totalCost * perMonth,
      workloads: list,
      models: byModelRows(this.all.byModel),
      months: byMonthRows(this.all.byMonth),
      profile: profileOf(this.all, spanDays),
      unpriced,
      unpricedModels: unpriced.map((u) => u.model),
      priceBases: bases,
      priceSources: bases.map(describeBasis),
      reconciliation: this.reconcile(),
    };
  }

  private reconcile(): Reconciliation | null {
    if (this.billed.length === 0) return null;
    const days = new Set<number>();
    const byLineItem = new Map<string, number>();
    let billedUsd = 0;
    let firstMs = Infinity;
    let lastMs = -Infinity;
    for (const b of this.billed) {
      billedUsd += b.amountUsd;
      firstMs = Math.min(firstMs, b.startMs);
      lastMs = Math.max(lastMs, b.endMs);
      for (let d = Math.floor(b.startMs / DAY_MS); d * DAY_MS < b.endMs; d++) days.add(d);
      if (b.amountUsd > 0) {
        const item = b.lineItem ?? '(not grouped by line item)';
        byLineItem.set(item, (byLineItem.get(item) ?? 0) + b.amountUsd);
      }
    }
    let computedUsd = 0;
    let unpricedTokens = 0;
    for (const d of days) {
      const c = this.dailyCost.get(d);
      if (!c) continue;
      computedUsd += c.usd;
      unpricedTokens += c.unpricedTokens;
    }
    return {
      firstMs,
      lastMs,
      days: days.size,
      billedUsd,
      computedUsd,
      differenceUsd: computedUsd - billedUsd,
      differenceShare: billedUsd > 0 ? (computedUsd - billedUsd) / billedUsd : null,
      unpricedTokens,
      byLineItem: [...byLineItem.entries()]
        .map(([lineItem, usd]) => ({ lineItem, usd }))
        .sort((a, b) => b.usd - a.usd),
    };
  }
}

function describeBasis(b: PriceBasis): string {
  const r = b.rates;
  const usd = formatUsdRate;
  const writes =
    b.provider === 'anthropic'
      ? [`${usd(r.cacheWrite5mPerMillionUsd)} / ${usd(r.cacheWrite1hPerMillionUsd)} cache writes (5m / 1h)`]
      : [];
  const rates = [
    `${usd(r.inputPerMillionUsd)} in`,
    `${usd(r.cachedInputPerMillionUsd)} cached`,
    ...writes,
    `${usd(r.outputPerMillionUsd)} out`,
  ];
  const as = b.pricedAs === b.model ? b.model : `${b.model} as ${b.pricedAs}`;
  return `${as}, ${b.terms}: ${rates.join(' / ')} per M (${b.source}${b.retrieved ? `, ${b.retrieved}` : ''})`;
}

/** Days the files cover, from the first bucket's start to the last one's end; at least a minute. */
function spanOf(acc: WorkloadAccumulator): number {
  if (!Number.isFinite(acc.firstMs)) return 1;
  return Math.max(1 / 1440, (acc.lastMs - acc.firstMs) / DAY_MS);
}

/** Models by spend, then by tokens. */
function byModelRows(map: Map<string, Tally>): Array<{ model: string } & Tally> {
  return [...map.entries()]
    .map(([model, t]) => ({ model, ...t }))
    .sort(
      (a, b) => b.costUsd - a.costUsd || b.inputTokens + b.outputTokens - (a.inputTokens + a.outputTokens),
    );
}

/** Months in calendar order (`2026-10` before `2026-11`). */
function byMonthRows(map: Map<string, Tally>): Array<{ month: string } & Tally> {
  return [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, t]) => ({ month, ...t }));
}

/**
 * Peak period ÷ mean period over the whole span, at the finest resolution the data has: hourly
 * buckets or single requests give hours, daily buckets give days. A span shorter than a period
 * cannot show a peak above its mean.
 */
function profileOf(acc: WorkloadAccumulator, spanDays: number): TrafficProfile {
  const hourly = acc.coarsestBucketMs <= HOUR_MS;
  const series = hourly ? acc.hourlyOutput : acc.dailyOutput;
  const periodSeconds = hourly ? 3600 : 86400;
  let peak = 0;
  let sum = 0;
  for (const v of series.values()) {
    peak = Math.max(peak, v);
    sum += v;
  }
  const meanPerSecond = sum / (spanDays * 86400);
  const mean = meanPerSecond * periodSeconds;
  const totalTokens = acc.hourOfDayTokens.reduce((a, b) => a + b, 0);
  const peakToMean = mean > 0 ? Math.max(1, peak / mean) : 1;
  return {
    resolution: hourly ? 'hour' : 'day',
    peakToMean,
    meanOutputTokensPerSecond: meanPerSecond,
    peakOutputTokensPerSecond: meanPerSecond * peakToMean,
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
    spendShare:
      t.pricedTokens === 0 && t.unpricedTokens > 0 ? null : totalCost > 0 ? t.costUsd / totalCost : 0,
    cumulativeSpendShare: null,
    models: byModelRows(acc.byModel),
    months: byMonthRows(acc.byMonth),
    profile: profileOf(acc, spanDays),
    ttftP50Ms: acc.ttft.percentile(50),
    ttftP95Ms: acc.ttft.percentile(95),
    latencyP95Ms: acc.latency.percentile(95),
    meanRouterScore: acc.routerScoreCount > 0 ? acc.routerScoreSum / acc.routerScoreCount : null,
    restrictedShare: acc.residencyKnown > 0 ? acc.restricted / acc.residencyKnown : null,
    strongShare: acc.routed > 0 ? acc.routedStrong / acc.routed : null,
  };
}
