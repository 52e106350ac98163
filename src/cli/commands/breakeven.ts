import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findGpu } from '../../capacity/gpu-catalogue.js';
import { planCapacity } from '../../capacity/plan-capacity.js';
import { isKvDtype, isQuantisation } from '../../capacity/quantisation.js';
import { readBenchThroughput } from '../../capacity/read-bench-result.js';
import { analyseBreakeven } from '../../planner/analyse-breakeven.js';
import { findApiPrice } from '../../planner/api-price-table.js';
import { numberFlag, positiveIntFlag, shareFlag, stringFlag } from '../../planner/flag-values.js';
import { readRouterEvalStrongShare } from '../../planner/read-router-eval.js';
import { mixFromTotal, type SelfHostedInputs, type TokenPricing } from '../../planner/monthly-cost.js';
import { breakevenJson, renderBreakeven } from '../../planner/render-breakeven.js';
import { capacityCheckOf, decideVerdict, verdictJson } from '../../planner/verdict.js';
import type { CommandRun } from '../cli-io.js';
import { UsageError } from '../cli-io.js';

const HELP = `switchyard breakeven: monthly cost of the current API vs self-hosting, crossover volume, sensitivity

Volume
  --tokens-per-month N           total tokens per month (50M, 1.2B)            [required]
  --input-share S                share of tokens that are input (0.75 or 75%)  [default 0.75]
  --cached-share S               share of input served from the prompt cache   [default 0]
  --peak-to-mean X               peak hour ÷ mean hour of the traffic          [default 1]

Current API (one of)
  --api-model M                  price from the built-in catalogue (gpt-4o, claude-sonnet-4)
  --api-usd-per-million P        one blended price for every token
  --api-usd-per-million-input P --api-usd-per-million-output P [--api-usd-per-million-cached P]

Open-model API (optional)
  --open-model M                 catalogue price, e.g. together/llama-3.3-70b
  --open-usd-per-million-input P --open-usd-per-million-output P

Self-hosting (a flat figure, or the GPU inputs)
  --self-hosted-monthly-usd X    flat all-in monthly cost
  --gpu G                        GPU id (h100, a100-80gb, l4); sets the default hourly price
  --gpus N                       GPUs per replica                              [default 1]
  --gpu-hourly-usd X             per GPU per hour
  --fixed-monthly-usd X          storage, networking, monitoring               [default 0]
  --engineer-hours-per-month H   [default 0]   --engineer-hourly-usd X [default 0]
  --ops-overhead S               share of GPU + fixed cost (10% or 0.1)        [default 0]
  --replica-tokens-per-second T  output tokens/s one replica serves (checks capacity)
  --bench FILE                   take that throughput from a 'switchyard bench --json' result
  --max-utilisation S            highest planned share of replica throughput at peak [default 0.7]
  --model M                      size the replica with the capacity planner: GPUs per replica and,
                                 unless measured, a roofline throughput estimate (with --gpu;
                                 --quant, --kv-dtype, --context, --concurrency as in 'capacity')

Other
  --hybrid-strong-share S        share the router keeps on the current API in the hybrid option
  --router-eval FILE             take it from 'switchyard router eval --json': the share of strong calls
                                 that recovers --quality-target (50 or 80, default 80) % of the quality gap
  --migration-usd X              one-off migration cost, for the payback period
  --json                         machine-readable output
`;

export const run: CommandRun = async (argv, io) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
      'tokens-per-month': { type: 'string' },
      'input-share': { type: 'string' },
      'cached-share': { type: 'string' },
      'peak-to-mean': { type: 'string' },
      'api-model': { type: 'string' },
      'api-usd-per-million': { type: 'string' },
      'api-usd-per-million-input': { type: 'string' },
      'api-usd-per-million-output': { type: 'string' },
      'api-usd-per-million-cached': { type: 'string' },
      'open-model': { type: 'string' },
      'open-usd-per-million-input': { type: 'string' },
      'open-usd-per-million-output': { type: 'string' },
      'self-hosted-monthly-usd': { type: 'string' },
      gpu: { type: 'string' },
      gpus: { type: 'string' },
      'gpu-hourly-usd': { type: 'string' },
      'fixed-monthly-usd': { type: 'string' },
      'engineer-hours-per-month': { type: 'string' },
      'engineer-hourly-usd': { type: 'string' },
      'ops-overhead': { type: 'string' },
      'replica-tokens-per-second': { type: 'string' },
      bench: { type: 'string' },
      'max-utilisation': { type: 'string' },
      model: { type: 'string' },
      quant: { type: 'string' },
      'kv-dtype': { type: 'string' },
      context: { type: 'string' },
      concurrency: { type: 'string' },
      'hybrid-strong-share': { type: 'string' },
      'router-eval': { type: 'string' },
      'quality-target': { type: 'string' },
      'migration-usd': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const tokens = numberFlag(values, 'tokens-per-month');
  if (tokens === undefined) throw new UsageError('--tokens-per-month is required');
  const mix = mixFromTotal(
    tokens,
    shareFlag(values, 'input-share') ?? 0.75,
    shareFlag(values, 'cached-share') ?? 0,
  );

  const api = apiPricing(values);
  const openModelApi = openPricing(values);
  const selfHosted = await selfHostedInputs(values);

  const result = analyseBreakeven({
    mix,
    api,
    ...(openModelApi ? { openModelApi } : {}),
    selfHosted,
    peakToMean: numberFlag(values, 'peak-to-mean') ?? 1,
    ...optional('hybridStrongShare', await hybridShare(values, io.cwd)),
    ...optional('migrationUsd', numberFlag(values, 'migration-usd')),
  });
  const verdict = decideVerdict(result, capacityCheckOf(selfHosted));
  io.stdout.write(
    values.json
      ? `${JSON.stringify({ verdict: verdictJson(verdict), ...breakevenJson(result) }, null, 2)}\n`
      : `${verdict.text}\n\n${renderBreakeven(result, 'Monthly volume')}`,
  );
  return 0;
};

type Values = Parameters<typeof numberFlag>[0];

function optional<K extends string, V>(key: K, v: V | undefined): Partial<Record<K, V>> {
  return v === undefined ? {} : ({ [key]: v } as Record<K, V>);
}

function apiPricing(values: Values): TokenPricing {
  const blended = numberFlag(values, 'api-usd-per-million');
  const input = numberFlag(values, 'api-usd-per-million-input');
  const output = numberFlag(values, 'api-usd-per-million-output');
  const cached = numberFlag(values, 'api-usd-per-million-cached');
  const model = stringFlag(values, 'api-model');
  if (blended !== undefined) return { usdPerMillionInput: blended, usdPerMillionOutput: blended };
  if (input !== undefined || output !== undefined) {
    if (input === undefined || output === undefined)
      throw new UsageError('give both --api-usd-per-million-input and --api-usd-per-million-output');
    return {
      usdPerMillionInput: input,
      usdPerMillionOutput: output,
      ...optional('usdPerMillionCachedInput', cached),
    };
  }
  if (model) {
    const price = findApiPrice(model);
    if (!price)
      throw new UsageError(`no catalogue price for '${model}'; give --api-usd-per-million-input/-output`);
    return price;
  }
  throw new UsageError(
    'give the current API price: --api-model, --api-usd-per-million, or the input/output prices',
  );
}

function openPricing(values: Values): TokenPricing | undefined {
  const input = numberFlag(values, 'open-usd-per-million-input');
  const output = numberFlag(values, 'open-usd-per-million-output');
  if (input !== undefined || output !== undefined) {
    if (input === undefined || output === undefined)
      throw new UsageError('give both --open-usd-per-million-input and --open-usd-per-million-output');
    return { usdPerMillionInput: input, usdPerMillionOutput: output };
  }
  const model = stringFlag(values, 'open-model');
  if (!model) return undefined;
  const price = findApiPrice(model);
  if (!price)
    throw new UsageError(`no catalogue price for '${model}' (name the provider: together/llama-3.3-70b)`);
  return price;
}

async function hybridShare(values: Values, cwd: string): Promise<number | undefined> {
  const given = shareFlag(values, 'hybrid-strong-share');
  const file = stringFlag(values, 'router-eval');
  if (given !== undefined || !file) return given;
  const target = stringFlag(values, 'quality-target') ?? '80';
  if (target !== '50' && target !== '80') throw new UsageError('--quality-target must be 50 or 80');
  return readRouterEvalStrongShare(resolve(cwd, file), target === '50' ? 50 : 80);
}

async function selfHostedInputs(values: Values): Promise<SelfHostedInputs> {
  const flat = numberFlag(values, 'self-hosted-monthly-usd');
  const gpuId = stringFlag(values, 'gpu');
  const gpu = gpuId ? findGpu(gpuId) : undefined;
  if (gpuId && !gpu) throw new UsageError(`unknown GPU '${gpuId}' (try h100, a100-80gb, l40s, l4)`);
  const hourly = numberFlag(values, 'gpu-hourly-usd') ?? gpu?.typicalHourlyUsd;
  if (flat === undefined && hourly === undefined)
    throw new UsageError('give --self-hosted-monthly-usd, or --gpu-hourly-usd (or --gpu) with --gpus');
  const bench = stringFlag(values, 'bench');
  let replicaTps =
    numberFlag(values, 'replica-tokens-per-second') ??
    (bench ? (await readBenchThroughput(bench)).outputTokensPerSecond : undefined);
  let gpus = positiveIntFlag(values, 'gpus');
  const model = stringFlag(values, 'model');
  if (model) {
    if (!gpu) throw new UsageError('--model needs --gpu to size the replica');
    const quant = stringFlag(values, 'quant') ?? 'bf16';
    const kvDtype = stringFlag(values, 'kv-dtype') ?? 'bf16';
    if (!isQuantisation(quant))
      throw new UsageError('--quant must be bf16, fp8, int8, awq-int4 or gguf-q4_k_m');
    if (!isKvDtype(kvDtype)) throw new UsageError('--kv-dtype must be bf16 or fp8');
    let plan;
    try {
      plan = planCapacity({
        model,
        gpu: gpu.id,
        quant,
        kvDtype,
        contextTokens: positiveIntFlag(values, 'context') ?? 8192,
        concurrency: positiveIntFlag(values, 'concurrency') ?? 16,
        gpuHourlyUsd: hourly ?? gpu.typicalHourlyUsd,
        ...optional('measuredTokensPerSecond', replicaTps),
      });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (plan.gpusNeeded === null) throw new UsageError(`${model} does not fit on up to 32 ${gpu.id}`);
    gpus ??= plan.gpusNeeded;
    replicaTps ??= plan.throughput?.outputTokensPerSecond;
  }
  return {
    ...optional('flatMonthlyUsd', flat),
    gpus: gpus ?? 1,
    gpuHourlyUsd: hourly ?? 0,
    fixedMonthlyUsd: numberFlag(values, 'fixed-monthly-usd') ?? 0,
    engineerHoursPerMonth: numberFlag(values, 'engineer-hours-per-month') ?? 0,
    engineerHourlyUsd: numberFlag(values, 'engineer-hourly-usd') ?? 0,
    opsOverhead: shareFlag(values, 'ops-overhead') ?? 0,
    ...optional('replicaOutputTokensPerSecond', replicaTps),
    maxUtilisation: shareFlag(values, 'max-utilisation') ?? 0.7,
  };
}
