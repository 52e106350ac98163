import { capacityJson } from '../capacity/render-capacity.js';
import type { PlanReport } from './build-plan.js';
import { round2 } from './monthly-cost.js';
import { breakevenJson } from './render-breakeven.js';
import type { Tally } from './usage-audit.js';
import { verdictJson } from './verdict.js';

function tallyJson(t: Tally): Record<string, number> {
  return {
    requests: t.requests,
    input_tokens: t.inputTokens,
    cached_input_tokens: t.cachedInputTokens,
    output_tokens: t.outputTokens,
    cost_usd: round2(t.costUsd),
    priced_tokens: t.pricedTokens,
    unpriced_tokens: t.unpricedTokens,
  };
}

/** The plan with stable snake_case keys for scripts and dashboards. */
export function planJson(r: PlanReport): Record<string, unknown> {
  const a = r.audit;
  const rec = a.reconciliation;
  return {
    verdict: verdictJson(r.verdict),
    warnings: r.warnings,
    generated_at: r.generatedAt,
    files: r.files,
    rows: a.rows,
    malformed_rows: r.problemCount,
    empty_buckets: a.emptyBuckets,
    problems: r.problems,
    period: {
      first: new Date(a.firstMs).toISOString(),
      last: new Date(a.lastMs).toISOString(),
      days: round2(a.spanDays),
    },
    total: {
      ...tallyJson(a.total),
      tokens_per_month: Math.round(a.tokensPerMonth),
      cost_per_month_usd: round2(a.costPerMonthUsd),
    },
    unpriced: a.unpriced.map((u) => ({ model: u.model, tokens: u.tokens, reason: u.reason })),
    reconciliation: rec
      ? {
          first: new Date(rec.firstMs).toISOString(),
          last: new Date(rec.lastMs).toISOString(),
          days: rec.days,
          billed_usd: round2(rec.billedUsd),
          computed_usd: round2(rec.computedUsd),
          difference_usd: round2(rec.differenceUsd),
          difference_share:
            rec.differenceShare === null ? null : Math.round(rec.differenceShare * 10000) / 10000,
          unpriced_tokens: rec.unpricedTokens,
          by_line_item: rec.byLineItem.map((l) => ({ line_item: l.lineItem, usd: round2(l.usd) })),
        }
      : null,
    by_model: a.models.map((m) => ({ model: m.model, ...tallyJson(m) })),
    by_month: a.months.map((m) => ({ month: m.month, ...tallyJson(m) })),
    traffic_profile: {
      resolution: a.profile.resolution,
      peak_to_mean: round2(a.profile.peakToMean),
      mean_output_tokens_per_second: round2(a.profile.meanOutputTokensPerSecond),
      peak_output_tokens_per_second: round2(a.profile.peakOutputTokensPerSecond),
      hour_of_day_share: a.profile.hourOfDayShare.map((s) => Math.round(s * 10000) / 10000),
    },
    options: breakevenJson(r.total),
    open_model_api: r.openModelApi,
    capacity: capacityJson(r.capacity),
    workloads: r.workloads.map((w) => ({
      name: w.summary.name,
      ...tallyJson(w.summary.total),
      spend_share: w.summary.spendShare === null ? null : round2(w.summary.spendShare * 100) / 100,
      cumulative_spend_share:
        w.summary.cumulativeSpendShare === null ? null : round2(w.summary.cumulativeSpendShare * 100) / 100,
      tokens_per_month: Math.round(w.summary.tokensPerMonth),
      cost_per_month_usd: round2(w.summary.costPerMonthUsd),
      peak_to_mean: round2(w.summary.profile.peakToMean),
      ttft_p50_ms: w.summary.ttftP50Ms,
      ttft_p95_ms: w.summary.ttftP95Ms,
      mean_router_score: w.summary.meanRouterScore,
      restricted_share: w.summary.restrictedShare,
      models: w.summary.models.map((m) => ({ model: m.model, ...tallyJson(m) })),
      by_month: w.summary.months.map((m) => ({ month: m.month, ...tallyJson(m) })),
      breakeven: w.breakeven ? breakevenJson(w.breakeven) : null,
      decision: w.decision,
    })),
    assumptions: r.assumptions,
    price_sources: a.priceSources,
    prices_used: a.priceBases.map((b) => ({
      model: b.model,
      priced_as: b.pricedAs,
      provider: b.provider,
      terms: b.terms,
      usd_per_million: {
        input: b.rates.inputPerMillionUsd,
        cached_input: b.rates.cachedInputPerMillionUsd,
        cache_write_5m: b.rates.cacheWrite5mPerMillionUsd,
        cache_write_1h: b.rates.cacheWrite1hPerMillionUsd,
        output: b.rates.outputPerMillionUsd,
      },
      tokens: b.tokens,
      cost_usd: round2(b.costUsd),
      source: b.source,
      retrieved: b.retrieved,
    })),
  };
}
