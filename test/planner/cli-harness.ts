import { PassThrough } from 'node:stream';
import type { CliIO } from '../../src/cli/cli-io.js';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a switchyard command in-process through the CLI's entry point, `main`, with captured output,
 * so the exit code is the one the process would return (2 for a usage error, 1 for any other
 * failure).
 */
export async function runCli(
  argv: string[],
  opts: { cwd?: string; isTTY?: boolean; stderrIsTTY?: boolean; signal?: AbortSignal } = {},
): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  // A terminal stream says so in `isTTY`, as process.stderr does.
  if (opts.stderrIsTTY) Object.assign(stderr, { isTTY: true });
  const io: CliIO = {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: {},
    cwd: opts.cwd ?? process.cwd(),
    isTTY: opts.isTTY ?? false,
    stopSignal: opts.signal ?? new AbortController().signal,
  };
  const code = await main(argv, io);
  await new Promise((r) => setImmediate(r));
  return { code, stdout: out, stderr: err };
}
