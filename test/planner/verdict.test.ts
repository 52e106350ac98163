import { describe, expect, test } from 'vitest';
import { analyseBreakeven } from '../../src/planner/analyse-breakeven.js';
import { mixFromTotal, type SelfHostedInputs } from '../../src/planner/monthly-cost.js';
import { decideVerdict, verdictJson } from '../../src/planner/verdict.js';
import { runCli } from './cli-harness.js';

const gpt4o = { usdPerMillionInput: 2.5, usdPerMillionOutput: 10, usdPerMillionCachedInput: 1.25 };
const twoH100: SelfHostedInputs = {
  gpus: 2,
  gpuHourlyUsd: 2.99,
  fixedMonthlyUsd: 500,
  engineerHoursPerMonth: 15,
  engineerHourlyUsd: 100,
  opsOverhead: 0.1,
  replicaOutputTokensPerSecond: 1500,
  maxUtilisation: 0.7,
};
const checked = { checked: true, basis: 'measured' };

describe('the one-line verdict', () => {
  test('at 50M tokens it leads with the cheapest option and the real break-even, not the input volume', () => {
    const r = analyseBreakeven({
      mix: mixFromTotal(50e6, 0.75),
      api: gpt4o,
      selfHosted: twoH100,
      peakToMean: 1,
    });
    const v = decideVerdict(r, checked);
    expect(v.cheapest).toBe('current-api');
    // self-hosting: 2 × $2.99 × 730 + $500 + 15 × $100 + 10% × ($4,365.40 + $500) = $6,851.94;
    // API: 37.5M × $2.50 + 12.5M × $10 per M = $218.75; difference $6,633.19.
    expect(v.text).toBe(
      'Verdict: stay on the current API ($219/month): self-hosting costs $6,633 more per month; ' +
        'self-hosting breaks even at 1.57B tokens/month (now 50M); capacity checked (measured).',
    );
    expect(v.text).not.toMatch(/-\$|\$-/);
  });

  test('when self-hosting is cheapest it says how much it saves, with the share of the API bill', () => {
    const r = analyseBreakeven({
      mix: mixFromTotal(4e9, 0.75),
      api: gpt4o,
      selfHosted: twoH100,
      peakToMean: 1,
    });
    const v = decideVerdict(r, checked);
    expect(v.cheapest).toBe('self-hosted');
    expect(v.savingVsCurrentUsd).toBeCloseTo(r.savingsUsd, 9);
    expect(v.text).toMatch(
      /^Verdict: self-hosting is cheapest at \$[\d,]+\/month: it saves \$[\d,]+\/month \(\d+\.\d%\)/,
    );
  });

  test('without a throughput source the saving is hedged and says capacity was not checked', () => {
    const { replicaOutputTokensPerSecond: _, ...unsized } = twoH100;
    const r = analyseBreakeven({
      mix: mixFromTotal(100e9, 0.75),
      api: gpt4o,
      selfHosted: unsized,
      peakToMean: 1,
    });
    const v = decideVerdict(r, { checked: false, basis: 'no replica throughput given' });
    expect(v.text).toMatch(/self-hosting looks cheapest/);
    expect(v.text).toMatch(/capacity not checked \(no replica throughput given\)\.$/);
    expect(verdictJson(v)).toMatchObject({ capacity_checked: false, cheapest_option: 'self-hosted' });
  });

  test('a cheaper open-model API or hybrid is named, and self-hosting alone is still costed', () => {
    const r = analyseBreakeven({
      mix: mixFromTotal(50e6, 0.75),
      api: gpt4o,
      openModelApi: { usdPerMillionInput: 0.88, usdPerMillionOutput: 0.88 },
      selfHosted: twoH100,
      peakToMean: 1,
    });
    const v = decideVerdict(r, checked);
    expect(v.cheapest).toBe('open-model-api');
    expect(v.text).toContain('the open-model API is cheapest at $44.00/month');
    expect(v.text).toContain('self-hosting alone costs $6,633 more per month than the current API');
  });

  test('JSON carries the same decision with stable keys', () => {
    const r = analyseBreakeven({
      mix: mixFromTotal(50e6, 0.75),
      api: gpt4o,
      selfHosted: twoH100,
      peakToMean: 1,
    });
    expect(verdictJson(decideVerdict(r, checked))).toEqual({
      text: expect.stringMatching(/^Verdict: /),
      cheapest_option: 'current-api',
      cheapest_monthly_usd: 218.75,
      saving_vs_current_api_usd: 0,
      self_hosted_saving_usd: -6633.19,
      breakeven_tokens_per_month: 1566157714,
      tokens_per_month: 50000000,
      capacity_checked: true,
      capacity_basis: 'measured',
    });
  });
});

describe('switchyard breakeven', () => {
  const args = [
    'breakeven',
    '--tokens-per-month',
    '50M',
    '--api-model',
    'gpt-4o',
    '--gpu',
    'h100',
    '--gpus',
    '2',
    '--replica-tokens-per-second',
    '1500',
    '--fixed-monthly-usd',
    '500',
    '--engineer-hours-per-month',
    '15',
    '--engineer-hourly-usd',
    '100',
    '--ops-overhead',
    '0.1',
  ];

  test('opens with the verdict, not with the volume it was given labelled as the break-even', async () => {
    const r = await runCli(args);
    expect(r.code).toBe(0);
    const [first] = r.stdout.split('\n');
    expect(first).toMatch(/^Verdict: stay on the current API/);
    expect(first).toContain('self-hosting costs $6,633 more per month');
    expect(first).toContain('breaks even at 1.57B tokens/month (now 50M)');
    expect(r.stdout).not.toMatch(/^Break-even: 50M/m);
    // One money format, formulas included: -$6,633.19, never $-6633.19.
    expect(r.stdout).not.toMatch(/\$-\d/);
    expect(r.stdout).toContain('= -$6,633.19 (');
    // The table says what self-hosting costs, not a negative saving.
    expect(r.stdout).toMatch(
      /Self-hosting vs API\s+costs \$6,633 more per month \(3032\.32% of the API bill\)/,
    );
    expect(r.stdout).not.toMatch(/Savings vs API\s+-\$/);
  });

  test('--json leads with the same verdict', async () => {
    const j = JSON.parse((await runCli([...args, '--json'])).stdout);
    expect(Object.keys(j)[0]).toBe('verdict');
    expect(j.verdict).toMatchObject({ cheapest_option: 'current-api', capacity_checked: true });
  });
});
