import { describe, expect, test } from 'vitest';
import { readPlannerFlags } from '../../src/cli/planner-flags.js';
import {
  analyseBreakeven,
  crossoverTokens,
  tokensPerReplicaMonth,
} from '../../src/planner/analyse-breakeven.js';
import {
  mixFromTotal,
  selfHostedMonthlyCost,
  tokenCostUsd,
  type SelfHostedInputs,
} from '../../src/planner/monthly-cost.js';
import { parseVolume } from '../../src/planner/parse-volume.js';

const flat = (usd: number): SelfHostedInputs => ({
  flatMonthlyUsd: usd,
  gpus: 1,
  gpuHourlyUsd: 0,
  fixedMonthlyUsd: 0,
  engineerHoursPerMonth: 0,
  engineerHourlyUsd: 0,
  opsOverhead: 0,
  maxUtilisation: 0.7,
});
/** A replica with no costs but its GPUs, sized by the rates given. */
const replica = (sized: Partial<SelfHostedInputs>): SelfHostedInputs => ({
  gpus: 1,
  gpuHourlyUsd: 2,
  fixedMonthlyUsd: 0,
  engineerHoursPerMonth: 0,
  engineerHourlyUsd: 0,
  opsOverhead: 0,
  maxUtilisation: 1,
  ...sized,
});
const blended = (usd: number) => ({ usdPerMillionInput: usd, usdPerMillionOutput: usd });

describe('volumes', () => {
  test.each([
    ['50M', 50e6],
    ['1.2B', 1.2e9],
    ['750k', 750e3],
    ['2e6', 2e6],
    ['1,000,000', 1e6],
    ['12', 12],
  ])('%s', (text, n) => expect(parseVolume(text)).toBe(n));
  test.each(['fifty', '5Q', ''])('%s is not a volume', (text) => expect(parseVolume(text)).toBeUndefined());
  test.each([
    ['15%', 0.15],
    ['0.15', 0.15],
    ['1', 1],
    ['100%', 1],
    ['2%', 0.02],
    ['0', 0],
  ])('share %s', (text, n) =>
    expect(readPlannerFlags({ 'input-share': text }, ['input-share'])['input-share']).toBeCloseTo(n, 12),
  );
  test.each(['15', '2', '1.5', '150%', '-0.1', 'half'])('share %s is refused, not guessed', (text) =>
    expect(() => readPlannerFlags({ 'input-share': text }, ['input-share'])).toThrow(/^--input-share /),
  );
});

describe('API cost: a blended $6/M (the seed article "Break-Even Math" table, recomputed)', () => {
  // The article prints $600, $3,000, $6,000, $15,000, $30,000, $60,000: a factor of 100 too high.
  test.each([
    [1e6, 6],
    [5e6, 30],
    [10e6, 60],
    [25e6, 150],
    [50e6, 300],
    [100e6, 600],
  ])('%d tokens cost $%d', (tokens, usd) => {
    expect(tokenCostUsd(mixFromTotal(tokens, 0.75), blended(6))).toBeCloseTo(usd, 9);
  });
});

describe('API cost: input, cached input and output priced separately', () => {
  test('$9,500 at GPT-4o list prices buys 3.8B input tokens or 950M output tokens (not 95M and 950k)', () => {
    const gpt4o = { usdPerMillionInput: 2.5, usdPerMillionOutput: 10, usdPerMillionCachedInput: 1.25 };
    expect(tokenCostUsd({ inputTokens: 3.8e9, outputTokens: 0, cachedInputTokens: 0 }, gpt4o)).toBeCloseTo(
      9500,
      6,
    );
    expect(tokenCostUsd({ inputTokens: 0, outputTokens: 950e6, cachedInputTokens: 0 }, gpt4o)).toBeCloseTo(
      9500,
      6,
    );
    expect(crossoverTokens(2.5e-6, mixFromTotal(1, 1), flat(9500), 1)).toBeCloseTo(3.8e9, 0);
  });

  test('cached input at its own rate', () => {
    const p = { usdPerMillionInput: 2.5, usdPerMillionOutput: 10, usdPerMillionCachedInput: 1.25 };
    // 600k uncached × $2.50 + 400k cached × $1.25 + 100k output × $10 = $1.50 + $0.50 + $1.00
    expect(tokenCostUsd({ inputTokens: 1e6, cachedInputTokens: 4e5, outputTokens: 1e5 }, p)).toBeCloseTo(
      3,
      9,
    );
  });
});

describe('self-hosted TCO', () => {
  const base: SelfHostedInputs = {
    gpus: 2,
    gpuHourlyUsd: 2.5,
    fixedMonthlyUsd: 500,
    engineerHoursPerMonth: 15,
    engineerHourlyUsd: 100,
    opsOverhead: 0.1,
    maxUtilisation: 0.7,
  };

  test('GPUs × hourly × 730 h + fixed + engineering + ops % of (GPU + fixed)', () => {
    const c = selfHostedMonthlyCost(base, { outputTokensPerMonth: 0, peakToMean: 1 });
    expect(c.gpuUsd).toBeCloseTo(2 * 2.5 * 730, 9); // 3,650
    expect(c.engineerUsd).toBe(1500);
    expect(c.opsUsd).toBeCloseTo(0.1 * (3650 + 500), 9); // 415
    expect(c.totalUsd).toBeCloseTo(3650 + 500 + 1500 + 415, 9); // 6,065
  });

  test('two H100s at $2 to $4 an hour cost $2,920 to $5,840 a month in GPU time', () => {
    const at = (h: number) =>
      selfHostedMonthlyCost({ ...base, gpuHourlyUsd: h }, { outputTokensPerMonth: 0, peakToMean: 1 }).gpuUsd;
    expect(at(2)).toBeCloseTo(2920, 9);
    expect(at(4)).toBeCloseTo(5840, 9);
  });

  test('replicas are added when the traffic peak outgrows one', () => {
    // 1B output tokens/month = 380.5 tokens/s on average; peak ×2 = 761; one replica plans for 500 × 0.7 = 350
    const c = selfHostedMonthlyCost(
      { ...base, replicaOutputTokensPerSecond: 500 },
      { outputTokensPerMonth: 1e9, peakToMean: 2 },
    );
    expect(c.replicas).toBe(3);
    expect(c.gpuUsd).toBeCloseTo(3 * 2 * 2.5 * 730, 9);
  });
});

describe('break-even, savings, hybrid and payback', () => {
  test('the seed article scenario: 50M tokens at $6/M against $3,500 of self-hosting', () => {
    const r = analyseBreakeven({
      mix: mixFromTotal(50e6, 0.75),
      api: blended(6),
      selfHosted: flat(3500),
      peakToMean: 1,
    });
    expect(r.apiMonthlyUsd).toBeCloseTo(300, 9);
    expect(r.savingsUsd).toBeCloseTo(-3200, 9);
    // break-even = $3,500 ÷ $6 per million = 583.3M tokens a month, not 5M
    expect(r.breakevenTokensPerMonth).toBeCloseTo(3500 / 6e-6, 0);
    expect(r.growth.map((g) => g.factor)).toEqual([1, 2, 5, 10]);
    expect(r.growth[3].apiUsd).toBeCloseTo(3000, 9);
  });

  test('hybrid: 10M of 50M on GPT-4o at $6/M costs $60 of API, not $6,000', () => {
    const r = analyseBreakeven({
      mix: mixFromTotal(50e6, 0.75),
      api: blended(6),
      selfHosted: flat(3000),
      peakToMean: 1,
      hybridStrongShare: 0.2,
    });
    expect(r.hybrid?.apiUsd).toBeCloseTo(60, 9);
    expect(r.hybrid?.totalUsd).toBeCloseTo(3060, 9);
  });

  test('a blended usage price reads as one price per token, listed prices as three', () => {
    const mix = { inputTokens: 3e9, cachedInputTokens: 1e9, outputTokens: 1e9 };
    const usage = analyseBreakeven({
      mix,
      api: { ...blended(0.75), blended: true },
      selfHosted: flat(1000),
      peakToMean: 1,
    });
    expect(usage.formulas[0]).toBe(
      "API = 4,000,000,000 tokens × $0.75/M blended (the usage's spend as billed ÷ its priced tokens) = $3,000.00",
    );
    const listed = analyseBreakeven({
      mix,
      api: { usdPerMillionInput: 2.5, usdPerMillionCachedInput: 1.25, usdPerMillionOutput: 10 },
      selfHosted: flat(1000),
      peakToMean: 1,
    });
    expect(listed.formulas[0]).toBe(
      'API = (2,000,000,000 uncached input × $2.5 + 1,000,000,000 cached × $1.25 + 1,000,000,000 output × $10) ÷ 1M = $16,250.00',
    );
  });

  test('payback is the migration cost over the monthly savings', () => {
    const r = analyseBreakeven({
      mix: mixFromTotal(2e9, 0.75),
      api: blended(6),
      selfHosted: flat(4000),
      peakToMean: 1,
      migrationUsd: 24000,
    });
    expect(r.savingsUsd).toBeCloseTo(12000 - 4000, 9);
    expect(r.paybackMonths).toBeCloseTo(3, 9);
  });

  test('with capacity steps the crossover is where the API passes the step it falls in', () => {
    const s = replica({ replicaOutputTokensPerSecond: 100 });
    // one replica = 1,460/month and serves 100 × 2,628,000 s = 262.8M output tokens (output-only mix)
    const mix = mixFromTotal(1, 0);
    // at $1/M the API reaches $1,460 at 1.46B tokens: beyond one replica's 262.8M, and each replica
    // costs $1,460 per 262.8M tokens, i.e. $5.56/M: self-hosting never wins
    expect(crossoverTokens(1e-6, mix, s, 1)).toBeNull();
    // at $10/M the first replica pays at 146M tokens
    expect(crossoverTokens(10e-6, mix, s, 1)).toBeCloseTo(146e6, 0);
  });

  test('the break-even formula divides the self-hosted cost at that volume by the API price as given', () => {
    const s = replica({ replicaOutputTokensPerSecond: 100 });
    // 500M output tokens need 2 replicas ($2,920) today; the API at $7.125/M meets one replica's
    // $1,460 at 204.9M tokens, which is the cost the break-even divides, not today's.
    const r = analyseBreakeven({
      mix: mixFromTotal(500e6, 0),
      api: blended(7.125),
      selfHosted: s,
      peakToMean: 1,
    });
    expect(r.selfHosted.totalUsd).toBeCloseTo(2920, 9);
    expect(r.breakevenTokensPerMonth).toBeCloseTo(1460 / 7.125e-6, 0);
    expect(r.formulas).toContain(
      'break-even = self-hosted cost ÷ API price per token = $1,460.00 (1 replica at that volume) ÷ $7.125/M blended = 204,912,281 tokens/month',
    );
  });

  test('prompts are sized too: an input-only load needs replicas for its prefill', () => {
    const s = replica({ gpus: 2, gpuHourlyUsd: 3, replicaInputTokensPerSecond: 10_000, maxUtilisation: 0.5 });
    // 100B prompt tokens a month = 38,052 tokens/s; a replica plans for 10,000 × 0.5 = 5,000
    const mix = mixFromTotal(100e9, 1);
    const r = analyseBreakeven({ mix, api: blended(2.5), selfHosted: s, peakToMean: 1 });
    expect(r.selfHosted.replicas).toBe(Math.ceil(100e9 / (730 * 3600) / 5000));
    expect(r.selfHosted.replicas).toBe(8);
    expect(r.formulas.join('\n')).toContain('prompt tokens/s ÷ (10000 prefilled per replica × 0.5)');
    // one replica serves 5,000 × 2,628,000 s = 13.14B prompt tokens a month
    expect(tokensPerReplicaMonth(mix, s, 1)).toBeCloseTo(5000 * 730 * 3600, 3);
  });

  test('with both rates the scarcer one decides the replicas', () => {
    const s = replica({ replicaOutputTokensPerSecond: 1000, replicaInputTokensPerSecond: 2000 });
    // 90% prompt: per replica 2,000 ÷ 0.9 = 2,222 tokens/s by prefill, 1,000 ÷ 0.1 = 10,000 by decode
    const mix = mixFromTotal(1, 0.9);
    expect(tokensPerReplicaMonth(mix, s, 1)).toBeCloseTo((2000 / 0.9) * 730 * 3600, 3);
    const load = { outputTokensPerMonth: 0.1 * 20e9, inputTokensPerMonth: 0.9 * 20e9, peakToMean: 1 };
    // 20B a month: 6,849 prompt tokens/s → 4 replicas; 761 output tokens/s alone would need 1
    expect(selfHostedMonthlyCost(s, load).replicas).toBe(4);
  });

  test('sensitivity over GPU price moves savings by GPUs × Δprice × 730 h', () => {
    const r = analyseBreakeven({
      mix: mixFromTotal(1e9, 0.75),
      api: blended(5),
      selfHosted: { ...flat(0), flatMonthlyUsd: undefined, gpus: 2, gpuHourlyUsd: 2 },
      peakToMean: 1,
    });
    const t = r.sensitivity.find((x) => x.axis === 'gpu-price');
    expect(t?.rowValues).toEqual([1, 1.5, 2, 2.5, 3]);
    const col = t!.volumeFactors.indexOf(1);
    expect(t!.savingsUsd[0][col] - t!.savingsUsd[4][col]).toBeCloseTo(2 * 2 * 730, 6);
  });
});
