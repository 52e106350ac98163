import { z } from 'zod';
import { GPU_CATALOGUE, findGpu } from '../capacity/gpu-catalogue.js';
import { QUANTISATIONS, KV_DTYPE_BYTES, type KvDtype, type Quantisation } from '../capacity/quantisation.js';
import { parseVolume } from '../planner/parse-volume.js';
import { UsageError } from './cli-io.js';

/**
 * The flags of the planner commands (`plan`, `breakeven`, `capacity`, `bench`) in one schema, so a
 * flag means the same and is checked the same wherever it appears. Every value is validated when
 * the command starts, and a refusal names the flag and what it expects: a plan is never printed
 * from a zero utilisation, an infinite throughput or a share read two ways.
 *
 * Shares are written as a fraction from 0 to 1 (`0.75`) or a percentage with `%` (`75%`). A bare
 * number above 1 is refused rather than guessed: `2` could mean 200% or 2%.
 */

type Check = (n: number) => string | null;

function numberText(expects: string, check: Check, opts: { money?: boolean; integer?: boolean } = {}) {
  return z.string().transform((raw, ctx): number => {
    const text = opts.money ? raw.trim().replace(/^\$/, '') : raw.trim();
    const n = parseVolume(text);
    const problem =
      n === undefined ? null : opts.integer && !Number.isInteger(n) ? 'a whole number' : check(n);
    if (n === undefined || problem !== null) {
      ctx.addIssue({
        code: 'custom',
        message: `expects ${expects}${problem && problem !== expects ? ` (${problem})` : ''}, got '${raw}'`,
      });
      return z.NEVER;
    }
    return n;
  });
}

const atLeast =
  (min: number, why: string): Check =>
  (n) =>
    n >= min ? null : why;
const above =
  (min: number, why: string): Check =>
  (n) =>
    n > min ? null : why;

const positiveNumber = (what: string) => numberText(`a positive ${what}`, above(0, 'must be above 0'));
const nonNegativeMoney = numberText(
  'an amount in USD such as 1500 or $1,500',
  atLeast(0, 'must not be negative'),
  { money: true },
);
const positiveMoney = numberText('a price in USD above 0, such as 2.99', above(0, 'must be above 0'), {
  money: true,
});
const positiveInteger = (what: string) =>
  numberText(`a positive whole number of ${what}`, above(0, 'must be at least 1'), { integer: true });

/** A share: `0.25` or `25%`; `positive` refuses 0, which would divide a cost or a throughput by zero. */
function share(opts: { positive?: boolean } = {}) {
  return z.string().transform((raw, ctx): number => {
    const t = raw.trim();
    const pct = t.endsWith('%');
    const body = pct ? t.slice(0, -1).trim() : t;
    const range = opts.positive ? 'above 0 and at most 1' : 'from 0 to 1';
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (!/^(\d+(\.\d+)?|\.\d+)$/.test(body))
      return fail(`expects a share: a fraction ${range} (0.25) or a percentage (25%), got '${raw}'`);
    const n = Number(body);
    if (!pct && n > 1)
      return fail(
        `got '${raw}', which is ambiguous: write ${n / 100} or ${n}% (a bare number is a fraction ${range})`,
      );
    const value = pct ? n / 100 : n;
    if (value > 1) return fail(`expects a share of at most 100%, got '${raw}'`);
    if (opts.positive && value === 0)
      return fail(`expects a share above 0 (it divides the figures), got '${raw}'`);
    return value;
  });
}

const text = (what: string) => z.string().trim().min(1, `expects ${what}`);

const gpuId = z.string().transform((raw, ctx): string => {
  const gpu = findGpu(raw);
  if (!gpu) {
    ctx.addIssue({
      code: 'custom',
      message: `expects a GPU from the catalogue (${GPU_CATALOGUE.map((g) => g.id).join(', ')}), got '${raw}'`,
    });
    return z.NEVER;
  }
  return gpu.id;
});

const quantisation = z.string().transform((raw, ctx): Quantisation => {
  if (!Object.hasOwn(QUANTISATIONS, raw)) {
    ctx.addIssue({
      code: 'custom',
      message: `expects one of ${Object.keys(QUANTISATIONS).join(', ')}, got '${raw}'`,
    });
    return z.NEVER;
  }
  return raw as Quantisation;
});

const kvDtype = z.string().transform((raw, ctx): KvDtype => {
  if (!Object.hasOwn(KV_DTYPE_BYTES, raw)) {
    ctx.addIssue({
      code: 'custom',
      message: `expects one of ${Object.keys(KV_DTYPE_BYTES).join(', ')}, got '${raw}'`,
    });
    return z.NEVER;
  }
  return raw as KvDtype;
});

const concurrencyList = z.string().transform((raw, ctx): number[] => {
  const parts = raw.split(',').map((s) => parseVolume(s.trim()));
  if (parts.length === 0 || parts.some((n) => n === undefined || !Number.isInteger(n) || n < 1)) {
    ctx.addIssue({
      code: 'custom',
      message: `expects a positive whole number of sequences, or a comma-separated list of them, got '${raw}'`,
    });
    return z.NEVER;
  }
  return parts as number[];
});

const url = z.string().transform((raw, ctx): string => {
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
    return raw;
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `expects an http(s) URL such as http://127.0.0.1:8000, got '${raw}'`,
    });
    return z.NEVER;
  }
});

const qualityTarget = z.string().transform((raw, ctx): 50 | 80 => {
  if (raw.trim() === '50') return 50;
  if (raw.trim() === '80') return 80;
  ctx.addIssue({
    code: 'custom',
    message: `expects 50 or 80 (percent of the quality gap recovered), got '${raw}'`,
  });
  return z.NEVER;
});

export const plannerFlagsSchema = z
  .object({
    // Volume and mix
    'tokens-per-month': numberText(
      'a positive monthly volume such as 50M or 1.2B',
      above(0, 'must be above 0'),
    ),
    'input-share': share(),
    'cached-share': share(),
    'peak-to-mean': numberText(
      'the peak hour ÷ the mean hour, at least 1',
      atLeast(1, 'a peak is never below the mean'),
    ),
    // Current and open-model APIs
    'api-model': text('a model name such as gpt-4o'),
    'api-usd-per-million': nonNegativeMoney,
    'api-usd-per-million-input': nonNegativeMoney,
    'api-usd-per-million-output': nonNegativeMoney,
    'api-usd-per-million-cached': nonNegativeMoney,
    'open-model': text('a model name such as together/llama-3.3-70b'),
    'open-usd-per-million-input': nonNegativeMoney,
    'open-usd-per-million-output': nonNegativeMoney,
    // Self-hosting costs
    'self-hosted-monthly-usd': nonNegativeMoney,
    'fixed-monthly-usd': nonNegativeMoney,
    'engineer-hours-per-month': numberText('hours per month, 0 or more', atLeast(0, 'must not be negative')),
    'engineer-hourly-usd': nonNegativeMoney,
    'ops-overhead': share(),
    'gpu-hourly-usd': positiveMoney,
    'migration-usd': nonNegativeMoney,
    // The replica
    model: text('a model id or Hugging Face repo, such as llama-3.1-70b'),
    'self-host-model': text('a model id or Hugging Face repo, such as llama-3.3-70b'),
    gpu: gpuId,
    gpus: positiveInteger('GPUs per replica'),
    quant: quantisation,
    'kv-dtype': kvDtype,
    context: positiveInteger('tokens per sequence'),
    concurrency: concurrencyList,
    'prompt-tokens': positiveInteger('prompt tokens per request'),
    'output-tokens': numberText(
      'a whole number of output tokens per request, 0 or more',
      atLeast(0, 'must not be negative'),
      {
        integer: true,
      },
    ),
    'gpu-memory-utilization': share({ positive: true }),
    'activation-gb': numberText('GB per GPU, 0 or more', atLeast(0, 'must not be negative')),
    'bandwidth-efficiency': share({ positive: true }),
    'compute-efficiency': share({ positive: true }),
    // Throughput and utilisation
    'tokens-per-second': positiveNumber('number of output tokens per second'),
    'replica-tokens-per-second': positiveNumber('number of output tokens per second'),
    bench: text("a file written by 'switchyard bench --out'"),
    utilisation: share({ positive: true }),
    'max-utilisation': share({ positive: true }),
    // Latency targets
    'ttft-p95-ms': positiveNumber('number of milliseconds'),
    'e2e-p95-ms': positiveNumber('number of milliseconds'),
    'output-tokens-per-second-per-user': positiveNumber('number of tokens per second'),
    // Hybrid
    'hybrid-strong-share': share(),
    'router-eval': text("a file written by 'switchyard router eval --json'"),
    'quality-target': qualityTarget,
    // Bench
    target: url,
    'duration-s': positiveInteger('seconds'),
    'max-requests': positiveInteger('requests'),
    'max-tokens': positiveInteger('tokens'),
    prompt: text('the user message to send'),
    'api-key-env': text('an environment variable name'),
  })
  .partial();

export type PlannerFlags = z.output<typeof plannerFlagsSchema>;
export type PlannerFlagName = keyof typeof plannerFlagsSchema.shape;

/** `node:util` parseArgs options for the planner flags a command takes. */
export function plannerArgOptions<K extends PlannerFlagName>(
  names: readonly K[],
): Record<K, { type: 'string' }> {
  return Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])) as Record<
    K,
    { type: 'string' }
  >;
}

/**
 * Validates the planner flags among parsed argument values; the first bad one becomes a usage
 * error that names it. Repeated flags keep their last value, as parseArgs does.
 */
export function readPlannerFlags<K extends PlannerFlagName>(
  values: Record<string, unknown>,
  names: readonly K[],
): Pick<PlannerFlags, K> {
  const given: Record<string, string> = {};
  for (const n of names) {
    const v = values[n];
    const last = Array.isArray(v) ? v[v.length - 1] : v;
    if (typeof last === 'string') given[n] = last;
  }
  const parsed = plannerFlagsSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`--${String(issue.path[0])} ${issue.message}`);
  }
  return parsed.data as Pick<PlannerFlags, K>;
}

/** A `--concurrency` that must be one value for this command. */
export function singleConcurrency(list: number[] | undefined): number | undefined {
  if (list === undefined) return undefined;
  if (list.length !== 1)
    throw new UsageError(`--concurrency takes one number of sequences here, got ${list.join(',')}`);
  return list[0];
}
