import { planCapacity, type CapacityPlan } from '../capacity/plan-capacity.js';
import { analyseBreakeven, type BreakevenResult } from './analyse-breakeven.js';
import { findApiPrice } from './api-price-table.js';
import { decideWorkload, type Decision } from './decision-matrix.js';
import {
  mixFromTotal,
  scaleMix,
  selfHostedMonthlyCost,
  tokenCostUsd,
  type SelfHostedInputs,
  type TokenPricing,
} from './monthly-cost.js';
import type { PlanConfig } from './plan-config.js';
import type { AuditSummary, WorkloadSummary } from './usage-audit.js';
import type { UsageFormat, UsageProblem } from './usage-row.js';

export interface ImportedFile {
  file: string;
  format: UsageFormat;
  rows: number;
  problems: number;
}

export interface CostCurve {
  tokensPerMonth: number[];
  apiUsd: number[];
  openModelUsd: number[] | null;
  selfHostedUsd: number[];
  currentTokensPerMonth: number;
  breakevenTokensPerMonth: number | null;
}

export interface WorkloadPlan {
  summary: WorkloadSummary;
  breakeven: BreakevenResult;
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
  assumptions: string[];
}

/**
 * The current API price of a workload as one blended per-token figure: its real spend ÷ its tokens.
 * At the workload's own mix this reproduces the spend exactly, whichever models and cache rates
 * made it up.
 */
function effectivePricing(costUsd: number, tokens: number): TokenPricing {
  const p = tokens > 0 ? (costUsd / tokens) * 1e6 : 0;
  return { usdPerMillionInput: p, usdPerMillionOutput: p };
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
  });
  if (capacity.gpusNeeded === null)
    throw new Error(
      `${sh.model} does not fit ${sh.concurrency} × ${sh.contextTokens} tokens on up to 32 ${sh.gpu}`,
    );
  const selfHosted: SelfHostedInputs = {
    gpus: capacity.gpusNeeded,
    gpuHourlyUsd: capacity.gpuHourlyUsd,
    fixedMonthlyUsd: sh.fixedMonthlyUsd,
    engineerHoursPerMonth: sh.engineerHoursPerMonth,
    engineerHourlyUsd: sh.engineerHourlyUsd,
    opsOverhead: sh.opsOverhead,
    ...(capacity.throughput
      ? { replicaOutputTokensPerSecond: capacity.throughput.outputTokensPerSecond }
      : {}),
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
    tokensPerMonth: number,
    costPerMonth: number,
    inputShare: number,
    cachedShare: number,
    peakToMean: number,
    measuredStrongShare: number | null,
  ) => {
    const strongShare = config.options.hybridStrongShare ?? measuredStrongShare ?? undefined;
    return analyseBreakeven({
      mix: mixFromTotal(tokensPerMonth, inputShare, cachedShare),
      api: effectivePricing(costPerMonth, tokensPerMonth),
      ...(openModelApi ? { openModelApi: openModelApi.pricing } : {}),
      selfHosted,
      peakToMean: config.options.peakToMean ?? peakToMean,
      ...(strongShare !== undefined ? { hybridStrongShare: strongShare } : {}),
      ...(config.options.migrationUsd !== undefined ? { migrationUsd: config.options.migrationUsd } : {}),
    });
  };

  const totalTokens = audit.total.inputTokens + audit.total.outputTokens;
  const total = analyse(
    audit.tokensPerMonth,
    audit.costPerMonthUsd,
    totalTokens > 0 ? audit.total.inputTokens / totalTokens : 0.75,
    audit.total.inputTokens > 0 ? audit.total.cachedInputTokens / audit.total.inputTokens : 0,
    audit.profile.peakToMean,
    null,
  );

  const profiles = new Map(config.workloads.map((w) => [w.name, w.profile]));
  const workloads = audit.workloads.map((w): WorkloadPlan => {
    const breakeven = analyse(
      w.tokensPerMonth,
      w.costPerMonthUsd,
      w.inputShare,
      w.cachedShareOfInput,
      w.profile.peakToMean,
      w.strongShare,
    );
    const decision = decideWorkload(
      w,
      { ...config.defaultProfile, ...(profiles.get(w.name) ?? {}) },
      config.thresholds,
      w.costPerMonthUsd > 0 ? breakeven.savingsUsd > 0 : null,
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

  const assumptions = [
    `Monthly figures scale the ${audit.spanDays.toFixed(1)} days of usage to a month of 30.44 days.`,
    `Current API price of each workload = its spend ÷ its tokens (source costs where the file has them, otherwise list prices).`,
    `Self-hosted replica: ${capacity.model.name} ${capacity.quant} on ${capacity.gpusNeeded} × ${capacity.gpu.name} at $${capacity.gpuHourlyUsd}/h, ${capacity.throughput ? `${Math.round(capacity.throughput.outputTokensPerSecond)} output tokens/s (${capacity.throughput.basis})` : 'throughput unknown'}.`,
    `Replicas are sized so the peak of the traffic profile uses at most ${sh.maxUtilisation * 100}% of their throughput; each workload is costed as if it ran alone, the total on one shared fleet.`,
    `Traffic profile resolution: ${audit.profile.resolution}${audit.profile.resolution === 'day' ? ' (the import has daily buckets: intraday peaks are not visible; set options.peakToMean to plan for them)' : ''}.`,
  ];
  if (audit.unpricedModels.length)
    assumptions.push(
      `No price for ${audit.unpricedModels.join(', ')}: their tokens count as $0 (add options.apiPrices).`,
    );

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
    assumptions,
  };
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
  return {
    tokensPerMonth: xs,
    apiUsd: xs.map((x) => x * apiPerToken),
    openModelUsd: open ? xs.map((x) => tokenCostUsd(scaleMix(unit, x), open)) : null,
    selfHostedUsd: xs.map(
      (x) =>
        selfHostedMonthlyCost(selfHosted, { outputTokensPerMonth: x * unit.outputTokens, peakToMean })
          .totalUsd,
    ),
    currentTokensPerMonth: audit.tokensPerMonth,
    breakevenTokensPerMonth: total.breakevenTokensPerMonth,
  };
}
