import { replicasForPeak, type PeakLoad } from '../capacity/replicas-for-peak.js';
import { HOURS_PER_MONTH } from '../cost/self-hosted-cost.js';
import { formatUsdCents } from './format-usd.js';

/**
 * Monthly cost of each way to serve a volume of tokens. Pure arithmetic over stated inputs, so every
 * figure in a plan can be recomputed by hand from the numbers printed next to it.
 */
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

export interface TokenMix {
  inputTokens: number;
  outputTokens: number;
  /** Part of `inputTokens` served from the provider's prompt cache. */
  cachedInputTokens: number;
}

export interface TokenPricing {
  usdPerMillionInput: number;
  usdPerMillionOutput: number;
  /** Defaults to the input price when the provider has no cache discount. */
  usdPerMillionCachedInput?: number;
  /**
   * One price for every kind of token, blended from usage billed across models, tiers and cache
   * rates: formulas then show it as such rather than as an input, cached and output price.
   */
  blended?: boolean;
}

export function mixFromTotal(tokensPerMonth: number, inputShare: number, cachedShareOfInput = 0): TokenMix {
  const inputTokens = tokensPerMonth * inputShare;
  return {
    inputTokens,
    outputTokens: tokensPerMonth - inputTokens,
    cachedInputTokens: inputTokens * cachedShareOfInput,
  };
}

export function scaleMix(mix: TokenMix, factor: number): TokenMix {
  return {
    inputTokens: mix.inputTokens * factor,
    outputTokens: mix.outputTokens * factor,
    cachedInputTokens: mix.cachedInputTokens * factor,
  };
}

export function totalTokens(mix: TokenMix): number {
  return mix.inputTokens + mix.outputTokens;
}

/** uncached input × input price + cached input × cached price + output × output price, per million. */
export function tokenCostUsd(mix: TokenMix, p: TokenPricing): number {
  const cachedPrice = p.usdPerMillionCachedInput ?? p.usdPerMillionInput;
  return (
    ((mix.inputTokens - mix.cachedInputTokens) * p.usdPerMillionInput +
      mix.cachedInputTokens * cachedPrice +
      mix.outputTokens * p.usdPerMillionOutput) /
    1e6
  );
}

export interface SelfHostedInputs {
  /** A flat all-in monthly figure; when set, the GPU inputs below are ignored. */
  flatMonthlyUsd?: number;
  gpus: number;
  gpuHourlyUsd: number;
  fixedMonthlyUsd: number;
  engineerHoursPerMonth: number;
  engineerHourlyUsd: number;
  /** Fraction of GPU + fixed cost added for operations (0.1 = 10%). */
  opsOverhead: number;
  /** Output tokens/s one set of `gpus` serves; absent means capacity is not checked. */
  replicaOutputTokensPerSecond?: number;
  /** Prompt tokens/s one replica prefills; when set, prompts are sized too and the larger count wins. */
  replicaInputTokensPerSecond?: number;
  /** Highest share of a replica's throughput planned for at the traffic peak. */
  maxUtilisation: number;
}

export interface Load {
  outputTokensPerMonth: number;
  /** Prompt tokens per month, sized against `replicaInputTokensPerSecond` when that is set. */
  inputTokensPerMonth?: number;
  /** Peak hour ÷ mean hour of the traffic profile. */
  peakToMean: number;
}

export interface SelfHostedCost {
  totalUsd: number;
  replicas: number;
  gpuUsd: number;
  fixedUsd: number;
  engineerUsd: number;
  opsUsd: number;
  peakOutputTokensPerSecond: number;
  formula: string;
}

/** The load's busiest second: mean tokens/s × the peak-to-mean ratio, in output and prompt tokens. */
export function peakLoadOf(load: Load, maxUtilisation: number): PeakLoad {
  return {
    outputTokensPerSecond: (load.outputTokensPerMonth / SECONDS_PER_MONTH) * load.peakToMean,
    inputTokensPerSecond: ((load.inputTokensPerMonth ?? 0) / SECONDS_PER_MONTH) * load.peakToMean,
    maxUtilisation,
  };
}

export function replicasNeeded(s: SelfHostedInputs, load: Load): number {
  if (s.flatMonthlyUsd !== undefined) return 1;
  return replicasForPeak(
    peakLoadOf(load, s.maxUtilisation),
    s.replicaOutputTokensPerSecond,
    s.replicaInputTokensPerSecond,
  );
}

/**
 * GPUs × hourly × 730 h × replicas + fixed + engineer hours × rate + ops overhead × (GPU + fixed).
 * Replicas grow when the peak of the traffic profile exceeds what one replica serves at the
 * planned utilisation, in output tokens or, when the replica's prefill rate is known, in prompt
 * tokens, whichever needs more; fixed and engineering costs do not grow with replicas.
 */
export function selfHostedMonthlyCost(s: SelfHostedInputs, load: Load): SelfHostedCost {
  const peakOutputTokensPerSecond = (load.outputTokensPerMonth / SECONDS_PER_MONTH) * load.peakToMean;
  if (s.flatMonthlyUsd !== undefined)
    return {
      totalUsd: s.flatMonthlyUsd,
      replicas: 1,
      gpuUsd: 0,
      fixedUsd: s.flatMonthlyUsd,
      engineerUsd: 0,
      opsUsd: 0,
      peakOutputTokensPerSecond,
      formula: `flat ${formatUsdCents(s.flatMonthlyUsd)}/month (given)`,
    };
  const replicas = replicasNeeded(s, load);
  const gpuUsd = replicas * s.gpus * s.gpuHourlyUsd * HOURS_PER_MONTH;
  const fixedUsd = s.fixedMonthlyUsd;
  const engineerUsd = s.engineerHoursPerMonth * s.engineerHourlyUsd;
  const opsUsd = s.opsOverhead * (gpuUsd + fixedUsd);
  const totalUsd = gpuUsd + fixedUsd + engineerUsd + opsUsd;
  const usd = formatUsdCents;
  const formula =
    `${replicas} replica(s) × ${s.gpus} GPUs × ${usd(s.gpuHourlyUsd)}/h × ${HOURS_PER_MONTH} h = ${usd(gpuUsd)}; ` +
    `+ fixed ${usd(fixedUsd)} + engineering ${s.engineerHoursPerMonth} h × ${usd(s.engineerHourlyUsd)} = ${usd(engineerUsd)}` +
    ` + ops ${round2(s.opsOverhead * 100)}% × (GPU + fixed) = ${usd(opsUsd)}; total ${usd(totalUsd)}`;
  return { totalUsd, replicas, gpuUsd, fixedUsd, engineerUsd, opsUsd, peakOutputTokensPerSecond, formula };
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
