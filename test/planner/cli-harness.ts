import { PassThrough } from 'node:stream';
import { UsageError, type CliIO, type CommandRun } from '../../src/cli/cli-io.js';
import { run as bench } from '../../src/cli/commands/bench.js';
import { run as breakeven } from '../../src/cli/commands/breakeven.js';
import { run as capacity } from '../../src/cli/commands/capacity.js';
import { run as plan } from '../../src/cli/commands/plan.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const COMMANDS: Record<string, CommandRun> = { bench, breakeven, capacity, plan };

/**
 * Runs a switchyard command in-process with captured output and the exit codes the CLI entry point
 * gives (2 for a usage error, 1 for any other failure).
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
  const [name, ...rest] = argv;
  let code: number;
  try {
    code = await COMMANDS[name](rest, io);
  } catch (e) {
    code = e instanceof UsageError ? 2 : 1;
    err += `switchyard ${name}: ${(e as Error).message}\n`;
  }
  await new Promise((r) => setImmediate(r));
  return { code, stdout: out, stderr: err };
}
