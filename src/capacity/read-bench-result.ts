import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const benchFileSchema = z.object({
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

/**
 * Output tokens/s from a `switchyard bench --json` file: the level at `concurrency` when given,
 * otherwise the highest throughput measured.
 */
export async function readBenchThroughput(
  file: string,
  concurrency?: number,
): Promise<{ outputTokensPerSecond: number; concurrency: number }> {
  const parsed = benchFileSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success)
    throw new Error(`${file}: not a switchyard bench result (${parsed.error.issues[0]?.message})`);
  const levels = parsed.data.levels;
  const level =
    concurrency !== undefined
      ? levels.find((l) => l.concurrency === concurrency)
      : levels.reduce((a, b) => (b.outputTokensPerSecond > a.outputTokensPerSecond ? b : a));
  if (!level) throw new Error(`${file}: no level at concurrency ${concurrency}`);
  return { outputTokensPerSecond: level.outputTokensPerSecond, concurrency: level.concurrency };
}
