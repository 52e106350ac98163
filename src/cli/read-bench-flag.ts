import { resolve } from 'node:path';
import { CapacityError } from '../capacity/capacity-error.js';
import type { ModelArchitecture } from '../capacity/model-catalogue.js';
import { checkBenchFor, readBenchThroughput } from '../capacity/read-bench-result.js';
import type { CliIO } from './cli-io.js';
import { UsageError } from './cli-io.js';

/**
 * The output tokens/s of one replica from a `--bench` file, as `capacity`, `breakeven` and `plan`
 * read it: a bench of another model than the planned one is a usage error, and what the file cannot
 * confirm (its model, a simulated server) is a warning on stderr. `concurrency` picks that level of
 * the bench; without it, the best one measured.
 */
export async function readBenchFlag(
  file: string,
  planned: ModelArchitecture | undefined,
  io: CliIO,
  concurrency?: number,
): Promise<number> {
  const bench = await readBenchThroughput(resolve(io.cwd, file), concurrency);
  if (!planned) {
    if (bench.simulated) io.stderr.write(`warning: ${file} was measured against a simulated server\n`);
    return bench.outputTokensPerSecond;
  }
  let warnings: string[];
  try {
    warnings = checkBenchFor(bench, planned);
  } catch (err) {
    if (err instanceof CapacityError) throw new UsageError(err.message);
    throw err;
  }
  for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
  return bench.outputTokensPerSecond;
}
