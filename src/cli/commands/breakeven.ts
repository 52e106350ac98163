import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CapacityError } from '../../capacity/capacity-error.js';
import { findGpu } from '../../capacity/gpu-catalogue.js';
import { findModel } from '../../capacity/model-catalogue.js';
import { planCapacity, type CapacityPlan } from '../../capacity/plan-capacity.js';
import { renderReplica, replicaJson } from '../../capacity/render-replica.js';
import { priceReplica } from '../../capacity/price-replica.js';
import { analyseBreakeven, loadOf } from '../../planner/analyse-breakeven.js';
import { findApiPrice } from '../../planner/api-price-table.js';
import { readRouterEvalStrongShare } from '../../planner/read-router-eval.js';
import {
  mixFromTotal,
  peakLoadOf,
  totalTokens,
  type SelfHostedInputs,
  type TokenPricing,
} from '../../planner/monthly-cost.js';
import type { PeakLoad } from '../../capacity/replicas-for-peak.js';
import { breakevenJson, renderBreakeven } from '../../planner/render-breakeven.js';
import { replicaCostInputs } from '../../planner/replica-cost-inputs.js';
import { capacityCheckOf, decideVerdict, verdictJson } from '../../planner/verdict.js';
import type { CliIO, CommandRun } from '../cli-io.js';
import { UsageError } from '../cli-io.js';
import {
  plannerArgOptions,
  readPlannerFlags,
  singleConcurrency,
  type PlannerFlags,
} from '../planner-flags.js';
import { readBenchFlag } from '../read-bench-flag.js';
import { defined, replicaInputFromFlags } from '../replica-flags.js';

const HELP = `switchyard breakeven: monthly cost of the current API vs self-hosting, crossover volume, sensitivity

Volume
  --tokens-per-month N           total tokens per month (50M, 1.2B)            [required]
  --input-share S                share of tokens that are input (0.75 or 75%)  [default 0.75]
  --cached-share S               share of input served from the prompt cache   [default 0]
  --peak-to-mean X               peak hour ÷ mean hour of the traffic, ≥ 1     [default 1]

Current API (one of)
  --api-model M                  price from the built-in catalogue (gpt-4o, claude-sonnet-4)
  --api-usd-per-million P        one blended price for every token
  --api-usd-per-million-input P --api-usd-per-million-output P [--api-usd-per-million-cached P]

Open-model API (optional)
  --open-model M                 catalogue price, e.g. together/llama-3.3-70b
  --open-usd-per-million-input P --open-usd-per-million-output P

Self-hosting (a flat figure, or GPUs with a throughput source)
  --self-hosted-monthly-usd X    flat all-in monthly cost (capacity is then not checked)
  --gpu G                        GPU id (h100, a100-80gb, l4); sets the hourly price of the instance
  --gpus N                       GPUs per replica; with --model, refused if the model does not fit
  --gpu-hourly-usd X             per GPU per hour
  --fixed-monthly-usd X          storage, networking, monitoring               [default 0]
  --engineer-hours-per-month H   [default 0]   --engineer-hourly-usd X [default 0]
  --ops-overhead S               share of GPU + fixed cost (10% or 0.1)        [default 0]
  --max-utilisation S            highest planned share of replica throughput at peak [default 0.7]
  A throughput source is required with GPUs, so that replicas are sized for the volume:
  --model M                      size the replica with the capacity planner: GPUs per replica and,
                                 unless measured, a roofline estimate of decode and prefill (with --gpu;
                                 --quant, --kv-dtype, --context, --concurrency, --prompt-tokens,
                                 --output-tokens as in 'capacity'; the request splits by --input-share);
                                 the layout is the one whose replicas serve this volume's peak for the
                                 lowest monthly cost, unless --gpus fixes it
  --replica-tokens-per-second T  measured output tokens/s of one replica
  --bench FILE                   take it from a 'switchyard bench --out' result (same model as --model)

Latency targets (cap each replica's concurrency; with --model)
  --ttft-p95-ms N   --output-tokens-per-second-per-user N   --e2e-p95-ms N

Other
  --hybrid-strong-share S        share the router keeps on the current API in the hybrid option
  --router-eval FILE             take it from 'switchyard router eval --json': the share of strong calls
                                 that recovers --quality-target (50 or 80, default 80) % of the quality gap
  --migration-usd X              one-off migration cost, for the payback period
  --json                         machine-readable output

Shares are a fraction from 0 to 1 (0.75) or a percentage (75%); a bare number above 1 is refused.
`;

const FLAGS = [
  'tokens-per-month',
  'input-share',
  'cached-share',
  'peak-to-mean',
  'api-model',
  'api-usd-per-million',
  'api-usd-per-million-input',
  'api-usd-per-million-output',
  'api-usd-per-million-cached',
  'open-model',
  'open-usd-per-million-input',
  'open-usd-per-million-output',
  'self-hosted-monthly-usd',
  'gpu',
  'gpus',
  'gpu-hourly-usd',
  'fixed-monthly-usd',
  'engineer-hours-per-month',
  'engineer-hourly-usd',
  'ops-overhead',
  'replica-tokens-per-second',
  'bench',
  'max-utilisation',
  'model',
  'quant',
  'kv-dtype',
  'context',
  'concurrency',
  'prompt-tokens',
  'output-tokens',
  'bandwidth-efficiency',
  'compute-efficiency',
  'ttft-p95-ms',
  'output-tokens-per-second-per-user',
  'e2e-p95-ms',
  'hybrid-strong-share',
  'router-eval',
  'quality-target',
  'migration-usd',
] as const;

type Flags = Pick<PlannerFlags, (typeof FLAGS)[number]>;

export const run: CommandRun = async (argv, io) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
      ...plannerArgOptions(FLAGS),
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const f = readPlannerFlags(values, FLAGS);
  const tokens = f['tokens-per-month'];
  if (tokens === undefined) throw new UsageError('--tokens-per-month is required');
  const inputShare = f['input-share'] ?? 0.75;
  const mix = mixFromTotal(tokens, inputShare, f['cached-share'] ?? 0);

  const api = apiPricing(f);
  const openModelApi = openPricing(f);
  const peakToMean = f['peak-to-mean'] ?? 1;
  const { selfHosted, replica } = await selfHostedInputs(f, inputShare, io, (maxUtilisation) =>
    peakLoadOf(loadOf(mix, totalTokens(mix), peakToMean), maxUtilisation),
  );

  const result = analyseBreakeven({
    mix,
    api,
    ...(openModelApi ? { openModelApi } : {}),
    selfHosted,
    peakToMean,
    ...defined({ hybridStrongShare: await hybridShare(f, io.cwd), migrationUsd: f['migration-usd'] }),
  });
  const verdict = decideVerdict(result, capacityCheckOf(selfHosted));
  io.stdout.write(
    values.json
      ? `${JSON.stringify({ verdict: verdictJson(verdict), ...breakevenJson(result), replica: replica ? replicaJson(replica) : null }, null, 2)}\n`
      : `${verdict.text}\n\n${replica ? renderReplica(replica) : ''}${renderBreakeven(result, 'Monthly volume')}`,
  );
  return 0;
};

function apiPricing(f: Flags): TokenPricing {
  const blended = f['api-usd-per-million'];
  const input = f['api-usd-per-million-input'];
  const output = f['api-usd-per-million-output'];
  const model = f['api-model'];
  if (blended !== undefined) return { usdPerMillionInput: blended, usdPerMillionOutput: blended };
  if (input !== undefined || output !== undefined) {
    if (input === undefined || output === undefined)
      throw new UsageError('give both --api-usd-per-million-input and --api-usd-per-million-output');
    return {
      usdPerMillionInput: input,
      usdPerMillionOutput: output,
      ...defined({ usdPerMillionCachedInput: f['api-usd-per-million-cached'] }),
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

function openPricing(f: Flags): TokenPricing | undefined {
  const input = f['open-usd-per-million-input'];
  const output = f['open-usd-per-million-output'];
  if (input !== undefined || output !== undefined) {
    if (input === undefined || output === undefined)
      throw new UsageError('give both --open-usd-per-million-input and --open-usd-per-million-output');
    return { usdPerMillionInput: input, usdPerMillionOutput: output };
  }
  const model = f['open-model'];
  if (!model) return undefined;
  const price = findApiPrice(model);
  if (!price)
    throw new UsageError(`no catalogue price for '${model}' (name the provider: together/llama-3.3-70b)`);
  return price;
}

async function hybridShare(f: Flags, cwd: string): Promise<number | undefined> {
  const given = f['hybrid-strong-share'];
  const file = f['router-eval'];
  if (given !== undefined || !file) return given;
  return readRouterEvalStrongShare(resolve(cwd, file), f['quality-target'] ?? 80);
}

/**
 * The self-hosted cost inputs. GPUs without a throughput source are refused: a fleet of one
 * replica would be priced for any volume, and the comparison would claim savings on hardware that
 * cannot serve the load.
 */
async function selfHostedInputs(
  f: Flags,
  inputShare: number,
  io: CliIO,
  peakLoad: (maxUtilisation: number) => PeakLoad,
): Promise<{ selfHosted: SelfHostedInputs; replica: CapacityPlan | null }> {
  const flat = f['self-hosted-monthly-usd'];
  const gpu = f.gpu ? findGpu(f.gpu) : undefined;
  const costs = {
    fixedMonthlyUsd: f['fixed-monthly-usd'] ?? 0,
    engineerHoursPerMonth: f['engineer-hours-per-month'] ?? 0,
    engineerHourlyUsd: f['engineer-hourly-usd'] ?? 0,
    opsOverhead: f['ops-overhead'] ?? 0,
    maxUtilisation: f['max-utilisation'] ?? 0.7,
  };
  if (flat !== undefined)
    return { selfHosted: { flatMonthlyUsd: flat, gpus: 1, gpuHourlyUsd: 0, ...costs }, replica: null };
  if (!gpu && f['gpu-hourly-usd'] === undefined)
    throw new UsageError(
      'give --self-hosted-monthly-usd, or --gpu (or --gpu-hourly-usd) with a throughput source',
    );

  let measured = f['replica-tokens-per-second'];
  const model = f.model ? findModel(f.model) : undefined;
  if (f.model && !model)
    throw new UsageError(`unknown model '${f.model}' (see 'switchyard capacity --list')`);
  if (measured === undefined && f.bench) measured = await readBenchFlag(f.bench, model, io);

  if (!model) {
    if (measured === undefined)
      throw new UsageError(
        'capacity is not checked without a replica throughput, so no savings can be claimed: ' +
          'give --model to estimate it (with --gpu), or a measured --replica-tokens-per-second or --bench',
      );
    const gpus = f.gpus ?? 1;
    const hourly = f['gpu-hourly-usd'] ?? (gpu ? priceReplica(gpu, gpus).gpuHourlyUsd : 0);
    return {
      selfHosted: { gpus, gpuHourlyUsd: hourly, replicaOutputTokensPerSecond: measured, ...costs },
      replica: null,
    };
  }
  if (!gpu) throw new UsageError('--model needs --gpu to size the replica');
  let plan: CapacityPlan;
  try {
    plan = planCapacity({
      ...replicaInputFromFlags(f, model, gpu.id, singleConcurrency(f.concurrency) ?? 16, measured),
      inputShare,
      // The layout whose replicas serve this volume's peak for the least.
      load: peakLoad(costs.maxUtilisation),
    });
  } catch (err) {
    if (err instanceof CapacityError) throw new UsageError(err.message);
    throw err;
  }
  if (plan.refusal || plan.gpusNeeded === null || !plan.throughput)
    throw new UsageError(plan.refusal ?? `${model.name} does not fit on ${gpu.id}`);
  for (const w of plan.warnings) io.stderr.write(`warning: ${w}\n`);
  return { selfHosted: { ...replicaCostInputs(plan), ...costs }, replica: plan };
}
