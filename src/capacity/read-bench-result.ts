import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { CapacityError } from './capacity-error.js';
import { findModel, type ModelArchitecture } from './model-catalogue.js';

const benchFileSchema = z.object({
  model: z.string().optional(),
  /** The model the server said it ran, from the `model` field of its responses. */
  servedModel: z.string().nullable().optional(),
  /** Whether the server marked itself a simulator (the `x-switchyard-simulated` header). */
  simulated: z.boolean().optional(),
  levels: z
    .array(
      z.object({
        concurrency: z.number(),
        outputTokensPerSecond: z.number(),
        completed: z.number().optional(),
      }),
    )
    .min(1),
});

export interface BenchThroughput {
  outputTokensPerSecond: number;
  concurrency: number;
  file: string;
  /** The model the bench measured: the served name when the server gave one, else the requested one. */
  model: string | null;
  /** null for results written before benches recorded it. */
  simulated: boolean | null;
}

/**
 * Output tokens/s from a `switchyard bench --json` file: the level at `concurrency` when given,
 * otherwise the highest throughput measured.
 */
export async function readBenchThroughput(file: string, concurrency?: number): Promise<BenchThroughput> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = benchFileSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(`${file}: not a switchyard bench result (${parsed.error.issues[0]?.message})`);
  const levels = parsed.data.levels;
  const level =
    concurrency !== undefined
      ? levels.find((l) => l.concurrency === concurrency)
      : levels.reduce((a, b) => (b.outputTokensPerSecond > a.outputTokensPerSecond ? b : a));
  if (!level)
    throw new Error(
      `${file}: no level at concurrency ${concurrency}; it measured ${levels.map((l) => l.concurrency).join(', ')}`,
    );
  if (!(level.outputTokensPerSecond > 0))
    throw new Error(`${file}: the level at concurrency ${level.concurrency} measured no output tokens`);
  return {
    outputTokensPerSecond: level.outputTokensPerSecond,
    concurrency: level.concurrency,
    file,
    model: parsed.data.servedModel ?? parsed.data.model ?? null,
    simulated: parsed.data.simulated ?? null,
  };
}

/**
 * Whether a bench result may stand for a replica of `planned`: a throughput measured on another
 * model is refused; an unrecognised model name or a simulated server is accepted with a warning.
 */
export function checkBenchFor(bench: BenchThroughput, planned: ModelArchitecture): string[] {
  const name = basename(bench.file);
  const warnings: string[] = [];
  if (bench.model === null)
    warnings.push(`${name} does not say which model it measured: check it is ${planned.name}`);
  else {
    const measured = findModel(bench.model);
    if (measured && measured.id !== planned.id)
      throw new CapacityError(
        'bench_model_mismatch',
        `${name} measured ${bench.model} (${measured.name}), but the plan sizes ${planned.name}: a throughput measured on one model does not carry to another; bench a server running ${planned.hfRepo}`,
      );
    if (!measured)
      warnings.push(
        `${name} measured '${bench.model}', which is not a catalogue model: check it is ${planned.name} (${planned.hfRepo})`,
      );
  }
  if (bench.simulated)
    warnings.push(
      `${name} was measured against a simulated server (it sent x-switchyard-simulated): its throughput is what the simulator was configured to produce, not what ${planned.name} does on real GPUs`,
    );
  return warnings;
}
