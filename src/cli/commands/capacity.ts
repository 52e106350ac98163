import { parseArgs } from 'node:util';
import { CapacityError } from '../../capacity/capacity-error.js';
import { GPU_CATALOGUE } from '../../capacity/gpu-catalogue.js';
import { MODEL_CATALOGUE, findModel } from '../../capacity/model-catalogue.js';
import { planCapacity } from '../../capacity/plan-capacity.js';
import { capacityJson, renderCapacity } from '../../capacity/render-capacity.js';
import type { CommandRun } from '../cli-io.js';
import { UsageError } from '../cli-io.js';
import { plannerArgOptions, readPlannerFlags, singleConcurrency } from '../planner-flags.js';
import { readBenchFlag } from '../read-bench-flag.js';
import { replicaInputFromFlags } from '../replica-flags.js';

const HELP = `switchyard capacity: GPU memory, GPUs needed, throughput and cost per token for a model on a GPU

  --model M              model id or Hugging Face repo (llama-3.1-70b, Qwen/Qwen2.5-72B-Instruct)  [required]
  --gpu G                l4, a10g, l40s, a100-40gb, a100-80gb, h100, h200, mi300x                  [required]
  --quant Q              bf16 | fp8 | int8 | awq-int4 | gguf-q4_k_m                                [default bf16]
  --kv-dtype D           bf16 | fp8                                                               [default bf16]
  --context N            tokens each sequence may hold (prompt + output), within the model's window [default 8192]
  --concurrency C        sequences served at once per replica                                     [default 16]
  --prompt-tokens N      typical prompt; --output-tokens N typical output  [default: the context split 3:1]
  --gpus N               GPUs per replica instead of the layout chosen by cost (refused if it does not fit)
  --gpu-memory-utilization S   engine's share of GPU memory (vLLM default)                         [default 0.9]
  --activation-gb X      per-GPU activation and CUDA-graph reserve                                [default 2]
  --gpu-hourly-usd X     override the catalogue price (per GPU)
  --utilisation S        average busy share, for cost per token                                   [default 0.6]
  --tokens-per-second T  measured output tokens/s of one replica
  --bench FILE           read it from a 'switchyard bench --out' result (same model, or refused)
  --bandwidth-efficiency S  share of memory bandwidth a decode step reaches                        [default 0.6]
  --compute-efficiency S    share of the dense tensor peak a forward pass reaches                  [default 0.5]

Latency targets (cap each replica's concurrency where the per-step time would break them)
  --ttft-p95-ms N        time to first token
  --output-tokens-per-second-per-user N   decode speed each user sees
  --e2e-p95-ms N         end to end for the typical request

  --list                 list the model and GPU catalogues
  --json                 machine-readable output

The layout is the cheapest per output token of those that hold all --concurrency sequences within
the memory and the latency targets (else of those that fit); costs within 0.5% count as equal and
go to the fewer GPUs.

Shares are a fraction from 0 to 1 (0.9) or a percentage (90%).
Exit 2, nothing printed: a context beyond the model's window, a request larger than --context,
  a --gpus no layout uses, a --bench of another model.
Exit 1, after the report: no layout fits, --gpus too few, latency targets no concurrency meets.
`;

const FLAGS = [
  'model',
  'gpu',
  'quant',
  'kv-dtype',
  'context',
  'concurrency',
  'prompt-tokens',
  'output-tokens',
  'gpus',
  'gpu-memory-utilization',
  'activation-gb',
  'gpu-hourly-usd',
  'utilisation',
  'tokens-per-second',
  'bench',
  'bandwidth-efficiency',
  'compute-efficiency',
  'ttft-p95-ms',
  'output-tokens-per-second-per-user',
  'e2e-p95-ms',
] as const;

export const run: CommandRun = async (argv, io) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
      list: { type: 'boolean' },
      ...plannerArgOptions(FLAGS),
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
        `  ${m.id.padEnd(18)} ${m.hfRepo.padEnd(44)} ${m.totalParamsB}B${m.experts ? ` (${m.activeParamsB}B active, ${m.experts.activePerToken} of ${m.experts.total} experts)` : ''}, ${m.contextLength.toLocaleString('en-US')}-token window`,
    );
    const gpus = GPU_CATALOGUE.map(
      (g) =>
        `  ${g.id.padEnd(10)} ${String(g.memoryGb).padStart(4)} GB  ${String(g.memoryBandwidthGbPerS).padStart(5)} GB/s  ` +
        `BF16 ${g.denseTflops.bf16} / FP8 ${g.denseTflops.fp8 ?? 'none'} TFLOPS  ` +
        `${g.instances.map((i) => `${i.name} ${i.gpus}×$${Math.round((i.hourlyUsd / i.gpus) * 10000) / 10000}`).join(', ')}/h per GPU  (${g.priceSource}, checked ${g.checked})`,
    );
    io.stdout.write(`Models:\n${models.join('\n')}\n\nGPUs:\n${gpus.join('\n')}\n`);
    return 0;
  }
  const f = readPlannerFlags(values, FLAGS);
  if (!f.model || !f.gpu) throw new UsageError('--model and --gpu are required (see --list)');
  const concurrency = singleConcurrency(f.concurrency) ?? 16;
  const model = findModel(f.model);
  if (!model) throw new UsageError(`unknown model '${f.model}' (see --list)`);

  let measured = f['tokens-per-second'];
  if (measured === undefined && f.bench)
    // The level at the planned concurrency when one was asked for, else the best measured.
    measured = await readBenchFlag(f.bench, model, io, f.concurrency === undefined ? undefined : concurrency);
  let plan;
  try {
    plan = planCapacity({
      ...replicaInputFromFlags(f, model, f.gpu, concurrency, measured),
      gpuMemoryUtilization: f['gpu-memory-utilization'] ?? 0.9,
      activationReserveGb: f['activation-gb'] ?? 2,
      utilisation: f.utilisation ?? 0.6,
    });
  } catch (err) {
    if (err instanceof CapacityError) throw new UsageError(err.message);
    throw err;
  }
  for (const w of plan.warnings) io.stderr.write(`warning: ${w}\n`);
  io.stdout.write(values.json ? `${JSON.stringify(capacityJson(plan), null, 2)}\n` : renderCapacity(plan));
  if (plan.refusal) {
    io.stderr.write(`switchyard capacity: ${plan.refusal}\n`);
    return 1;
  }
  return 0;
};
