import { parseArgs } from 'node:util';
import { GPU_CATALOGUE } from '../../capacity/gpu-catalogue.js';
import { MODEL_CATALOGUE } from '../../capacity/model-catalogue.js';
import { planCapacity } from '../../capacity/plan-capacity.js';
import { isKvDtype, isQuantisation } from '../../capacity/quantisation.js';
import { readBenchThroughput } from '../../capacity/read-bench-result.js';
import { capacityJson, renderCapacity } from '../../capacity/render-capacity.js';
import { numberFlag, positiveIntFlag, shareFlag, stringFlag } from '../../planner/flag-values.js';
import type { CommandRun } from '../cli-io.js';
import { UsageError } from '../cli-io.js';

const HELP = `switchyard capacity: GPU memory, GPUs needed and cost per token for a model on a GPU

  --model M              model id or Hugging Face repo (llama-3.1-70b, Qwen/Qwen2.5-72B-Instruct)  [required]
  --gpu G                l4, a10g, l40s, a100-40gb, a100-80gb, h100, h200, mi300x                  [required]
  --quant Q              bf16 | fp8 | int8 | awq-int4 | gguf-q4_k_m                                [default bf16]
  --kv-dtype D           bf16 | fp8                                                               [default bf16]
  --context N            tokens per sequence (prompt + output)                                    [default 8192]
  --concurrency C        sequences served at once                                                 [default 16]
  --gpu-memory-utilization S   engine's share of GPU memory (vLLM default)                         [default 0.9]
  --activation-gb X      per-GPU activation and CUDA-graph reserve                                [default 2]
  --gpu-hourly-usd X     override the catalogue price
  --utilisation S        average busy share, for cost per token                                   [default 0.6]
  --tokens-per-second T  measured output tokens/s of one replica
  --bench FILE           read it from a 'switchyard bench --json' result
  --list                 list the model and GPU catalogues
  --json                 machine-readable output
`;

export const run: CommandRun = async (argv, io) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
      list: { type: 'boolean' },
      model: { type: 'string' },
      gpu: { type: 'string' },
      quant: { type: 'string' },
      'kv-dtype': { type: 'string' },
      context: { type: 'string' },
      concurrency: { type: 'string' },
      'gpu-memory-utilization': { type: 'string' },
      'activation-gb': { type: 'string' },
      'gpu-hourly-usd': { type: 'string' },
      utilisation: { type: 'string' },
      'tokens-per-second': { type: 'string' },
      bench: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (values.list) {
    const models = MODEL_CATALOGUE.map(
      (m) =>
        `  ${m.id.padEnd(18)} ${m.hfRepo.padEnd(44)} ${m.totalParamsB}B${m.experts ? ` (${m.activeParamsB}B active)` : ''}`,
    );
    const gpus = GPU_CATALOGUE.map(
      (g) =>
        `  ${g.id.padEnd(10)} ${String(g.memoryGb).padStart(4)} GB  $${g.typicalHourlyUsd}/h  ${g.priceSource}`,
    );
    io.stdout.write(`Models:\n${models.join('\n')}\n\nGPUs:\n${gpus.join('\n')}\n`);
    return 0;
  }
  const model = stringFlag(values, 'model');
  const gpu = stringFlag(values, 'gpu');
  if (!model || !gpu) throw new UsageError('--model and --gpu are required (see --list)');
  const quant = stringFlag(values, 'quant') ?? 'bf16';
  if (!isQuantisation(quant))
    throw new UsageError(`--quant must be bf16, fp8, int8, awq-int4 or gguf-q4_k_m`);
  const kvDtype = stringFlag(values, 'kv-dtype') ?? 'bf16';
  if (!isKvDtype(kvDtype)) throw new UsageError('--kv-dtype must be bf16 or fp8');
  const concurrency = positiveIntFlag(values, 'concurrency') ?? 16;
  const bench = stringFlag(values, 'bench');
  const measured =
    numberFlag(values, 'tokens-per-second') ??
    (bench ? (await readBenchThroughput(bench)).outputTokensPerSecond : undefined);
  let plan;
  try {
    plan = planCapacity({
      model,
      gpu,
      quant,
      kvDtype,
      contextTokens: positiveIntFlag(values, 'context') ?? 8192,
      concurrency,
      gpuMemoryUtilization: shareFlag(values, 'gpu-memory-utilization') ?? 0.9,
      activationReserveGb: numberFlag(values, 'activation-gb') ?? 2,
      utilisation: shareFlag(values, 'utilisation') ?? 0.6,
      ...(numberFlag(values, 'gpu-hourly-usd') !== undefined
        ? { gpuHourlyUsd: numberFlag(values, 'gpu-hourly-usd') }
        : {}),
      ...(measured !== undefined ? { measuredTokensPerSecond: measured } : {}),
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  io.stdout.write(values.json ? `${JSON.stringify(capacityJson(plan), null, 2)}\n` : renderCapacity(plan));
  return 0;
};
