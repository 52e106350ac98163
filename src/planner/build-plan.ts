import { planCapacity, type CapacityPlan } from '../capacity/plan-capacity.js';
import { analyseBreakeven, loadOf, type BreakevenResult } from './analyse-breakeven.js';
import { findApiPrice } from './api-price-table.js';
import { decideWorkload, type Decision } from './decision-matrix.js';
import {
  mixFromTotal,
  peakLoadOf,
  scaleMix,
  selfHostedMonthlyCost,
  tokenCostUsd,
  type SelfHostedInputs,
  type TokenPricing,
} from './monthly-cost.js';
import { formatUsdCents } from './format-usd.js';
import { formatVolume } from './parse-volume.js';
import type { PlanConfig } from './plan-config.js';
import { replicaCostInputs } from './replica-cost-inputs.js';
import { DAYS_PER_MONTH, type AuditSummary, type Tally, type WorkloadSummary } from './usage-audit.js';
import type { UsageFormat, UsageProblem } from './usage-row.js';
import { capacityCheckOf, decideVerdict, type Verdict } from './verdict.js';

export interface ImportedFile {
  file: string;
  format: UsageFormat;
  rows: number;
  problems: number;
  /** Buckets with no usage (the export covers that time) and billed-cost rows of cost exports. */
  emptyBuckets?: number;
  billedRows?: number;
}

export interface CostCurve {
  tokensPerMonth: number[];
  apiUsd: number[];
  openModelUsd: number[] | null;
  selfHostedUsd: number[];
  /** The hybrid at its strong share, when the plan has one. */
  hybridUsd: number[] | null;
  hybridStrongShare: number | null;
  currentTokensPerMonth: number;
  breakevenTokensPerMonth: number | null;
}

export interface WorkloadPlan {
  summary: WorkloadSummary;
  /** Null when none of the workload's tokens has a price: its API cost is unknown. */
  breakeven: BreakevenResult | null;
  decision: Decision;
}

export interface PlanReport {
  generatedAt: string;
  files: ImportedFile[];
  problems: UsageProblem[];
  problemCount: number;
  audit: AuditSummary;
  capacity: CapacityPlan;
  selfHosted: SelfHostedInputs;
  openModelApi: { name: string; pricing: TokenPricing } | null;
  total: BreakevenResult;
  curve: CostCurve;
  workloads: WorkloadPlan[];
  /** The decision in one line, which every format leads with. */
  verdict: Verdict;
  /** What a reader must know before trusting a figure: unpriced tokens, a short period, billing gaps. */
  warnings: string[];
  assumptions: string[];
}

/**
 * The current API price of a workload as one blended per-token figure: its spend ÷ its priced
 * tokens. At the workload's own mix this reproduces the spend exactly, whichever models, tiers and
 * cache rates made it up; tokens with no price do not dilute it. Null when nothing has a price.
 */
function effectivePricing(t: Tally): TokenPricing | null {
  if (t.pricedTokens <= 0) return null;
  const p = (t.costUsd / t.pricedTokens) * 1e6;
  return { usdPerMillionInput: p, usdPerMillionOutput: p, blended: true };
}

export function buildPlan(input: {
  audit: AuditSummary;
  config: PlanConfig;
  files: ImportedFile[];
  problems: UsageProblem[];
  now?: Date;
}): PlanReport {
  const { audit, config } = input;
  const sh = config.options.selfHosted;
  const totalTokens = audit.total.inputTokens + audit.total.outputTokens;
  const inputShare = totalTokens > 0 ? audit.total.inputTokens / totalTokens : 0.75;
  const cachedShare =
    audit.total.inputTokens > 0 ? audit.total.cachedInputTokens / audit.total.inputTokens : 0;
  const peakToMean = config.options.peakToMean ?? audit.profile.peakToMean;
  const totalMix = mixFromTotal(audit.tokensPerMonth, inputShare, cachedShare);
  const capacity = planCapacity({
    model: sh.model,
    gpu: sh.gpu,
    quant: sh.quant,
    kvDtype: sh.kvDtype,
    contextTokens: sh.contextTokens,
    concurrency: sh.concurrency,
    ...(sh.gpuHourlyUsd !== undefined ? { gpuHourlyUsd: sh.gpuHourlyUsd } : {}),
    ...(sh.replicaOutputTokensPerSecond !== undefined
      ? { measuredTokensPerSecond: sh.replicaOutputTokensPerSecond }
      : {}),
    // The typical request is the usage's average one where it counts requests, else the context
    // split like the usage; latency targets cap concurrency.
    ...typicalRequest(audit.total, sh.contextTokens),
    ...(sh.latency ? { latency: sh.latency } : {}),
    // One fleet serves every workload: the layout is the one that serves the total's peak for the least.
    load: peakLoadOf(loadOf(totalMix, audit.tokensPerMonth, peakToMean), sh.maxUtilisation),
  });
  if (capacity.gpusNeeded === null)
    throw new Error(capacity.refusal ?? `${sh.model} does not fit on ${sh.gpu}`);
  const selfHosted: SelfHostedInputs = {
    ...replicaCostInputs(capacity),
    fixedMonthlyUsd: sh.fixedMonthlyUsd,
    engineerHoursPerMonth: sh.engineerHoursPerMonth,
    engineerHourlyUsd: sh.engineerHourlyUsd,
    opsOverhead: sh.opsOverhead,
    maxUtilisation: sh.maxUtilisation,
  };

  let openModelApi: PlanReport['openModelApi'] = null;
  const om = config.options.openModelApi;
  if (om && 'model' in om) {
    const price = findApiPrice(om.model);
    if (!price) throw new Error(`no catalogue price for open-model API '${om.model}'`);
    openModelApi = { name: `${price.model} (${price.source}, ${price.checked})`, pricing: price };
  } else if (om) openModelApi = { name: om.name, pricing: om };

  // The hybrid keeps on the strong model the share the config gives, else the share the complexity
  // router kept there in the records.
  const analyse = (
    tally: Tally,
    tokensPerMonth: number,
    inputShare: number,
    cachedShare: number,
    peakToMean: number,
    measuredStrongShare: number | null,
  ): BreakevenResult | null => {
    const api = effectivePricing(tally);
    if (!api) return null;
    const strongShare = config.options.hybridStrongShare ?? measuredStrongShare ?? undefined;
    return analyseBreakeven({
      mix: mixFromTotal(tokensPerMonth, inputShare, cachedShare),
      api,
      ...(openModelApi ? { openModelApi: openModelApi.pricing } : {}),
      selfHosted,
      peakToMean: config.options.peakToMean ?? peakToMean,
      ...(strongShare !== undefined ? { hybridStrongShare: strongShare } : {}),
      ...(config.options.migrationUsd !== undefined ? { migrationUsd: config.options.migrationUsd } : {}),
    });
  };

  const total = analyse(audit.total, audit.tokensPerMonth, inputShare, cachedShare, peakToMean, null);
  if (!total)
    throw new Error(
      `none of the ${formatVolume(totalTokens)} tokens has a price, so the current API cost is unknown: ${audit.unpriced
        .map((u) => `${u.model} (${u.reason})`)
        .join('; ')}`,
    );

  const profiles = new Map(config.workloads.map((w) => [w.name, w.profile]));
  const workloads = audit.workloads.map((w): WorkloadPlan => {
    const breakeven = analyse(
      w.total,
      w.tokensPerMonth,
      w.inputShare,
      w.cachedShareOfInput,
      w.profile.peakToMean,
      w.strongShare,
    );
    const decision = decideWorkload(
      w,
      { ...config.defaultProfile, ...(profiles.get(w.name) ?? {}) },
      config.thresholds,
      breakeven ? breakeven.savingsUsd : null,
    );
    return { summary: w, breakeven, decision };
  });

  const curve = costCurve(
    total,
    audit,
    selfHosted,
    openModelApi?.pricing ?? null,
    config.options.peakToMean ?? audit.profile.peakToMean,
  );

  const throughput = capacity.throughput;
  const capacityCheck = capacityCheckOf(selfHosted);
  if (capacityCheck.checked && throughput)
    capacityCheck.basis = `${throughput.basis}: ${Math.round(throughput.outputTokensPerSecond).toLocaleString('en-US')} output tokens/s per replica`;
  const verdict = decideVerdict(total, capacityCheck);

  const assumptions = [
    `Monthly figures scale the ${describeSpan(audit.spanDays)} the files cover to a month of ${DAYS_PER_MONTH.toFixed(2)} days; every workload is scaled over that same period.`,
    `Current API price of each workload = its spend ÷ its priced tokens (source costs where the file has them, otherwise list prices at the tier each row was billed at).`,
    `Self-hosted replica: ${capacity.model.name} ${capacity.quant} on ${capacity.gpusNeeded} × ${capacity.gpu.name} at $${capacity.gpuHourlyUsd}/h, ${capacity.throughput ? `${Math.round(capacity.throughput.outputTokensPerSecond)} output + ${Math.round(capacity.throughput.inputTokensPerSecond)} prompt tokens/s (${capacity.throughput.basis}) at ${capacity.effectiveConcurrency} concurrent requests of ${capacity.request.promptTokens} + ${capacity.request.outputTokens} tokens` : 'throughput unknown'}; ${capacity.gpuPriceSource === 'given' ? 'price given' : capacity.price.explanation}.`,
    ...(capacity.latency ? [`Latency: ${capacity.latency.explanation}.`] : []),
    ...(capacity.layoutChoice ? [`Layout: ${capacity.layoutChoice.explanation}.`] : []),
    `Replicas are sized so the peak of the traffic profile uses at most ${sh.maxUtilisation * 100}% of their throughput; each workload is costed as if it ran alone, the total on one shared fleet.`,
    `Traffic profile resolution: ${audit.profile.resolution}${audit.profile.resolution === 'day' ? ' (the import has daily buckets: intraday peaks are not visible; set options.peakToMean to plan for them)' : ''}.`,
  ];

  return {
    generatedAt: (input.now ?? new Date()).toISOString(),
    files: input.files,
    problems: input.problems,
    problemCount: audit.problems,
    audit,
    capacity,
    selfHosted,
    openModelApi,
    total,
    curve,
    workloads,
    verdict,
    warnings: [...planWarnings(audit, total), ...capacity.warnings],
    assumptions,
  };
}

const DAY_MS = 86_400_000;

/** A period as a reader says it: `30.0 days`, `6.5 hours`, `15 minutes`. */
export function describeSpan(days: number): string {
  if (days >= 2) return `${days.toFixed(1)} days`;
  const minutes = days * 1440;
  if (minutes >= 120) return `${(minutes / 60).toFixed(1)} hours`;
  return `${Math.round(minutes)} minutes`;
}

/**
 * What a reader must see before any figure: tokens with no price (and what the plan assumed for
 * them), a period too short to extrapolate a month from, and a gap between computed and billed spend.
 */
function planWarnings(audit: AuditSummary, total: BreakevenResult): string[] {
  const warnings: string[] = [];
  const t = audit.total;
  const tokens = t.inputTokens + t.outputTokens;
  if (t.unpricedTokens > 0) {
    const share = ((t.unpricedTokens / tokens) * 100).toFixed(1);
    const which = audit.unpriced.map((u) => `${u.model} ${formatVolume(u.tokens)} (${u.reason})`).join('; ');
    warnings.push(
      `${formatVolume(t.unpricedTokens)} of ${formatVolume(tokens)} tokens (${share}%) have no price: ${which}. ` +
        `Spend counts only priced tokens; the current-API option prices the rest at the blended ` +
        `${formatUsdCents(total.apiUsdPerMillionBlended)}/M of the priced ones. Add options.apiPrices to price them.`,
    );
  }
  if (audit.lastMs - audit.firstMs < DAY_MS) {
    warnings.push(
      `The files cover only ${describeSpan(audit.spanDays)} (${new Date(audit.firstMs).toISOString().slice(0, 16)} to ` +
        `${new Date(audit.lastMs).toISOString().slice(11, 16)} UTC): monthly figures multiply them by ` +
        `${Math.round(DAYS_PER_MONTH / audit.spanDays).toLocaleString('en-US')} and cannot show daily or weekly cycles; treat them as rough.`,
    );
  }
  const rec = audit.reconciliation;
  if (rec && (rec.differenceShare === null || Math.abs(rec.differenceShare) > 0.05)) {
    warnings.push(
      rec.computedUsd === 0 && rec.unpricedTokens === 0
        ? `The billed costs (${formatUsdCents(rec.billedUsd)}) cover days with no usage rows: reconcile them against the usage export of the same days.`
        : `Spend computed from usage differs from what was billed for the same ${rec.days} day(s) by ${formatUsdCents(rec.differenceUsd)}` +
            `${rec.differenceShare === null ? '' : ` (${(rec.differenceShare * 100).toFixed(1)}%)`}: computed ${formatUsdCents(rec.computedUsd)}, billed ${formatUsdCents(rec.billedUsd)}.`,
    );
  }
  return warnings;
}

function costCurve(
  total: BreakevenResult,
  audit: AuditSummary,
  selfHosted: SelfHostedInputs,
  open: TokenPricing | null,
  peakToMean: number,
): CostCurve {
  const totalTokens = audit.total.inputTokens + audit.total.outputTokens;
  const inputShare = totalTokens > 0 ? audit.total.inputTokens / totalTokens : 0.75;
  const cachedShare =
    audit.total.inputTokens > 0 ? audit.total.cachedInputTokens / audit.total.inputTokens : 0;
  const unit = mixFromTotal(1, inputShare, cachedShare);
  const max = Math.max(audit.tokensPerMonth * 3, (total.breakevenTokensPerMonth ?? 0) * 1.5, 1);
  const points = 60;
  const xs = Array.from({ length: points + 1 }, (_, i) => (max * i) / points);
  const apiPerToken = total.apiUsdPerMillionBlended / 1e6;
  const selfHostedAt = (x: number) =>
    selfHostedMonthlyCost(selfHosted, {
      outputTokensPerMonth: x * unit.outputTokens,
      inputTokensPerMonth: x * unit.inputTokens,
      peakToMean,
    }).totalUsd;
  const strong = total.hybrid?.strongShare ?? null;
  return {
    tokensPerMonth: xs,
    apiUsd: xs.map((x) => x * apiPerToken),
    openModelUsd: open ? xs.map((x) => tokenCostUsd(scaleMix(unit, x), open)) : null,
    selfHostedUsd: xs.map(selfHostedAt),
    // The same split as the hybrid option: the API on the strong share, self-hosting on the rest.
    hybridUsd:
      strong === null ? null : xs.map((x) => x * strong * apiPerToken + selfHostedAt(x * (1 - strong))),
    hybridStrongShare: strong,
    currentTokensPerMonth: audit.tokensPerMonth,
    breakevenTokensPerMonth: total.breakevenTokensPerMonth,
  };
}

/**
 * The request a replica is sized on: the usage's average prompt and output per request when the
 * files count requests and it fits the context, else the context split by the usage's input share.
 */
function typicalRequest(
  t: Tally,
  contextTokens: number,
): { request: { promptTokens: number; outputTokens: number } } | { inputShare: number } {
  const tokens = t.inputTokens + t.outputTokens;
  if (t.requests > 0) {
    const promptTokens = Math.max(1, Math.round(t.inputTokens / t.requests));
    const outputTokens = Math.round(t.outputTokens / t.requests);
    if (promptTokens + outputTokens <= contextTokens) return { request: { promptTokens, outputTokens } };
  }
  return { inputShare: tokens > 0 ? t.inputTokens / tokens : 0.75 };
}
