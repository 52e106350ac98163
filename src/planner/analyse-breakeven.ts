import { formatUsdCents, formatUsdRate } from './format-usd.js';
import { HOURS_PER_MONTH } from '../cost/self-hosted-cost.js';
import {
  round2,
  type Load,
  scaleMix,
  selfHostedMonthlyCost,
  tokenCostUsd,
  totalTokens,
  type SelfHostedCost,
  type SelfHostedInputs,
  type TokenMix,
  type TokenPricing,
} from './monthly-cost.js';

export interface BreakevenInput {
  /** Current monthly volume and mix. */
  mix: TokenMix;
  api: TokenPricing;
  openModelApi?: TokenPricing;
  selfHosted: SelfHostedInputs;
  peakToMean: number;
  /** Share of traffic the router keeps on the current (strong) API in the hybrid option. */
  hybridStrongShare?: number;
  /** One-off cost of the migration, paid back by the monthly savings. */
  migrationUsd?: number;
  growthFactors?: number[];
}

export interface GrowthRow {
  factor: number;
  tokensPerMonth: number;
  apiUsd: number;
  selfHostedUsd: number;
  replicas: number;
  savingsUsd: number;
  savingsPct: number;
}

export interface SensitivityTable {
  axis: 'gpu-price' | 'utilisation';
  rowValues: number[];
  volumeFactors: number[];
  /** savings (API − self-hosted) in USD, rows × volume factors. */
  savingsUsd: number[][];
}

export interface BreakevenResult {
  tokensPerMonth: number;
  apiMonthlyUsd: number;
  apiUsdPerMillionBlended: number;
  openModelApiMonthlyUsd: number | null;
  selfHosted: SelfHostedCost;
  hybrid: { strongShare: number; apiUsd: number; selfHostedUsd: number; totalUsd: number } | null;
  savingsUsd: number;
  savingsPct: number;
  /** Smallest monthly volume at which self-hosting costs no more than the API; null if never. */
  breakevenTokensPerMonth: number | null;
  breakevenVsOpenModelTokensPerMonth: number | null;
  paybackMonths: number | null;
  growth: GrowthRow[];
  sensitivity: SensitivityTable[];
  formulas: string[];
}

/** API cost per token at this mix, so the linear API cost is `tokens × price`. */
function perTokenUsd(mix: TokenMix, p: TokenPricing): number {
  const t = totalTokens(mix);
  return t > 0 ? tokenCostUsd(mix, p) / t : (p.usdPerMillionInput + p.usdPerMillionOutput) / 2e6;
}

/** The monthly load of `tokens` tokens at this mix, in output and prompt tokens. */
export function loadOf(mix: TokenMix, tokens: number, peakToMean: number): Load {
  const total = totalTokens(mix);
  const outputShare = total > 0 ? mix.outputTokens / total : 0.25;
  return {
    outputTokensPerMonth: tokens * outputShare,
    inputTokensPerMonth: tokens * (1 - outputShare),
    peakToMean,
  };
}

/**
 * Tokens per month (at this mix) one replica serves at the planned utilisation and peak: the
 * smaller of what its decode rate allows for the output share and what its prefill rate allows
 * for the prompt share. Undefined when neither rate is known (capacity not checked).
 */
export function tokensPerReplicaMonth(
  mix: TokenMix,
  s: SelfHostedInputs,
  peakToMean: number,
): number | undefined {
  if (s.flatMonthlyUsd !== undefined) return undefined;
  const total = totalTokens(mix);
  const outputShare = total > 0 ? mix.outputTokens / total : 0.25;
  const month = (s.maxUtilisation * HOURS_PER_MONTH * 3600) / peakToMean;
  const limits: number[] = [];
  if (s.replicaOutputTokensPerSecond && outputShare > 0)
    limits.push((s.replicaOutputTokensPerSecond * month) / outputShare);
  if (s.replicaInputTokensPerSecond && outputShare < 1)
    limits.push((s.replicaInputTokensPerSecond * month) / (1 - outputShare));
  return limits.length ? Math.min(...limits) : undefined;
}

/**
 * Smallest volume T (same mix) where a linear price × T reaches the self-hosted cost. Self-hosted
 * cost is a step function of T (one more replica each time the peak outgrows capacity), so the
 * crossing is found segment by segment.
 */
export function crossoverTokens(
  usdPerToken: number,
  mix: TokenMix,
  s: SelfHostedInputs,
  peakToMean: number,
): number | null {
  if (usdPerToken <= 0) return null;
  const costAt = (t: number) => selfHostedMonthlyCost(s, loadOf(mix, t, peakToMean)).totalUsd;
  const replicaTokens = tokensPerReplicaMonth(mix, s, peakToMean);
  if (replicaTokens === undefined) return costAt(0) / usdPerToken;
  // Cost with k replicas is k × perReplica + base; on segment k (volumes up to k × replicaTokens)
  // the API catches up at (k × perReplica + base) ÷ price, which must fall inside the segment.
  const one = costAt(replicaTokens * 0.5);
  const perReplica = costAt(replicaTokens * 1.5) - one;
  const base = one - perReplica;
  const gainPerReplica = usdPerToken * replicaTokens - perReplica;
  let k: number;
  if (gainPerReplica > 0) k = Math.max(1, Math.ceil(base / gainPerReplica - 1e-9));
  else if ((perReplica + base) / usdPerToken <= replicaTokens) k = 1;
  else return null;
  return Math.max((k * perReplica + base) / usdPerToken, (k - 1) * replicaTokens);
}

export function analyseBreakeven(input: BreakevenInput): BreakevenResult {
  const { mix, api, selfHosted, peakToMean } = input;
  const tokens = totalTokens(mix);
  const apiUsd = tokenCostUsd(mix, api);
  const self = selfHostedMonthlyCost(selfHosted, loadOf(mix, tokens, peakToMean));
  const savingsUsd = apiUsd - self.totalUsd;
  const savingsPct = apiUsd > 0 ? (savingsUsd / apiUsd) * 100 : 0;
  const apiPerToken = perTokenUsd(mix, api);
  const breakeven = crossoverTokens(apiPerToken, mix, selfHosted, peakToMean);
  const openUsd = input.openModelApi ? tokenCostUsd(mix, input.openModelApi) : null;
  const breakevenOpen = input.openModelApi
    ? crossoverTokens(perTokenUsd(mix, input.openModelApi), mix, selfHosted, peakToMean)
    : null;

  let hybrid: BreakevenResult['hybrid'] = null;
  if (input.hybridStrongShare !== undefined) {
    const h = input.hybridStrongShare;
    const hApi = tokenCostUsd(scaleMix(mix, h), api);
    const hSelf = selfHostedMonthlyCost(selfHosted, loadOf(mix, tokens * (1 - h), peakToMean)).totalUsd;
    hybrid = { strongShare: h, apiUsd: hApi, selfHostedUsd: hSelf, totalUsd: hApi + hSelf };
  }

  const growthFactors = input.growthFactors ?? [1, 2, 5, 10];
  const growth = growthFactors.map((factor): GrowthRow => {
    const m = scaleMix(mix, factor);
    const a = tokenCostUsd(m, api);
    const s = selfHostedMonthlyCost(selfHosted, loadOf(mix, totalTokens(m), peakToMean));
    return {
      factor,
      tokensPerMonth: totalTokens(m),
      apiUsd: a,
      selfHostedUsd: s.totalUsd,
      replicas: s.replicas,
      savingsUsd: a - s.totalUsd,
      savingsPct: a > 0 ? ((a - s.totalUsd) / a) * 100 : 0,
    };
  });

  const volumeFactors = [0.5, 1, 2, 5, 10];
  const savingsGrid = (variant: (f: number) => SelfHostedInputs, rows: number[]) =>
    rows.map((r) =>
      volumeFactors.map((v) => {
        const m = scaleMix(mix, v);
        return (
          tokenCostUsd(m, api) -
          selfHostedMonthlyCost(variant(r), loadOf(mix, totalTokens(m), peakToMean)).totalUsd
        );
      }),
    );
  const sensitivity: SensitivityTable[] = [];
  if (selfHosted.flatMonthlyUsd === undefined) {
    const priceFactors = [0.5, 0.75, 1, 1.25, 1.5];
    sensitivity.push({
      axis: 'gpu-price',
      rowValues: priceFactors.map((f) => round2(selfHosted.gpuHourlyUsd * f)),
      volumeFactors,
      savingsUsd: savingsGrid(
        (f) => ({ ...selfHosted, gpuHourlyUsd: selfHosted.gpuHourlyUsd * f }),
        priceFactors,
      ),
    });
    if (selfHosted.replicaOutputTokensPerSecond || selfHosted.replicaInputTokensPerSecond) {
      const utils = [0.3, 0.5, 0.7, 0.9];
      sensitivity.push({
        axis: 'utilisation',
        rowValues: utils,
        volumeFactors,
        savingsUsd: savingsGrid((u) => ({ ...selfHosted, maxUtilisation: u }), utils),
      });
    }
  }

  const paybackMonths =
    input.migrationUsd !== undefined && savingsUsd > 0 ? input.migrationUsd / savingsUsd : null;

  const cachedPrice = round4(api.usdPerMillionCachedInput ?? api.usdPerMillionInput);
  const formulas = [
    api.blended
      ? `API = ${fmt(totalTokens(mix))} tokens × $${round4(api.usdPerMillionInput)}/M blended (the usage's spend as billed ÷ its priced tokens) = ${formatUsdCents(apiUsd)}`
      : `API = (${fmt(mix.inputTokens - mix.cachedInputTokens)} uncached input × $${round4(api.usdPerMillionInput)} + ${fmt(mix.cachedInputTokens)} cached × $${cachedPrice} + ${fmt(mix.outputTokens)} output × $${round4(api.usdPerMillionOutput)}) ÷ 1M = ${formatUsdCents(apiUsd)}`,
    `self-hosted: ${self.formula}`,
    `savings = API − self-hosted = ${formatUsdCents(apiUsd)} − ${formatUsdCents(self.totalUsd)} = ${formatUsdCents(savingsUsd)} (${round2(savingsPct)}% of API)`,
    breakeven === null
      ? 'break-even: self-hosting never costs less than the API at this mix'
      : breakevenFormula(breakeven, apiPerToken, mix, selfHosted, peakToMean),
  ];
  formulas.push(capacityFormula(mix, tokens, selfHosted, peakToMean, self.replicas));
  if (hybrid)
    formulas.push(
      `hybrid = API on ${round2(hybrid.strongShare * 100)}% (${formatUsdCents(hybrid.apiUsd)}) + self-hosted on the rest (${formatUsdCents(hybrid.selfHostedUsd)}) = ${formatUsdCents(hybrid.totalUsd)}`,
    );
  if (paybackMonths !== null)
    formulas.push(
      `payback = migration ${formatUsdCents(input.migrationUsd ?? 0)} ÷ savings ${formatUsdCents(savingsUsd)}/month = ${round2(paybackMonths)} months`,
    );

  return {
    tokensPerMonth: tokens,
    apiMonthlyUsd: apiUsd,
    apiUsdPerMillionBlended: apiPerToken * 1e6,
    openModelApiMonthlyUsd: openUsd,
    selfHosted: self,
    hybrid,
    savingsUsd,
    savingsPct,
    breakevenTokensPerMonth: breakeven,
    breakevenVsOpenModelTokensPerMonth: breakevenOpen,
    paybackMonths,
    growth,
    sensitivity,
    formulas,
  };
}

/**
 * The division behind the break-even volume, with the self-hosted cost at that volume: replicas
 * step with volume, so it need not be today's cost, and the reader could not redo it from today's.
 */
function breakevenFormula(
  breakeven: number,
  apiPerToken: number,
  mix: TokenMix,
  s: SelfHostedInputs,
  peakToMean: number,
): string {
  const cost = selfHostedMonthlyCost(s, loadOf(mix, breakeven, peakToMean));
  const sized = tokensPerReplicaMonth(mix, s, peakToMean) !== undefined;
  const replicas = sized ? ` (${cost.replicas} replica${cost.replicas === 1 ? '' : 's'} at that volume)` : '';
  return (
    `break-even = self-hosted cost ÷ API price per token = ${formatUsdCents(cost.totalUsd)}${replicas} ÷ ` +
    `${formatUsdRate(apiPerToken * 1e6)}/M blended = ${fmt(breakeven)} tokens/month`
  );
}

/** How the replica count follows from the peak, in output tokens and in prompt tokens. */
function capacityFormula(
  mix: TokenMix,
  tokens: number,
  s: SelfHostedInputs,
  peakToMean: number,
  replicas: number,
): string {
  if (s.flatMonthlyUsd !== undefined)
    return 'capacity: not checked: a flat self-hosted monthly cost was given and is taken to serve any volume';
  const load = loadOf(mix, tokens, peakToMean);
  const peak = (perMonth: number) => (perMonth / (HOURS_PER_MONTH * 3600)) * peakToMean;
  const parts: string[] = [];
  if (s.replicaOutputTokensPerSecond && load.outputTokensPerMonth > 0)
    parts.push(
      `peak ${figure(peak(load.outputTokensPerMonth))} output tokens/s (mean × ${round2(peakToMean)}) ÷ (${round2(s.replicaOutputTokensPerSecond)} per replica × ${s.maxUtilisation}) = ${figure(peak(load.outputTokensPerMonth) / (s.replicaOutputTokensPerSecond * s.maxUtilisation))}`,
    );
  if (s.replicaInputTokensPerSecond && (load.inputTokensPerMonth ?? 0) > 0)
    parts.push(
      `peak ${figure(peak(load.inputTokensPerMonth ?? 0))} prompt tokens/s ÷ (${round2(s.replicaInputTokensPerSecond)} prefilled per replica × ${s.maxUtilisation}) = ${figure(peak(load.inputTokensPerMonth ?? 0) / (s.replicaInputTokensPerSecond * s.maxUtilisation))}`,
    );
  if (parts.length === 0)
    return 'capacity: not checked (no replica throughput): the self-hosted cost stays flat with volume; give --model (or a measured --replica-tokens-per-second) to size replicas';
  return `capacity: ${parts.join('; ')} → ${replicas} replica${replicas === 1 ? '' : 's'}, the larger rounded up`;
}

/**
 * A figure in a formula: two decimals, or two significant digits below 0.01, so a small load's
 * share of a replica reads 0.0043 rather than a 0 that the rounding up to one replica contradicts.
 */
function figure(n: number): string {
  return Math.abs(n) >= 0.01 || n === 0 ? String(round2(n)) : String(Number(n.toPrecision(2)));
}

function round4(n: number): number {
  return Math.round(n * 10000) / 10000;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
