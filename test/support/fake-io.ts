import { PassThrough, Readable } from 'node:stream';
import type { CliIO } from '../../src/cli/cli-io.js';

export interface FakeIO extends CliIO {
  out(): string;
  err(): string;
  stop(): void;
}

/** A CliIO over in-memory buffers, for running commands through `main()` in tests. */
export function fakeIO(options: { env?: Record<string, string>; cwd?: string; stdin?: string } = {}): FakeIO {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const controller = new AbortController();
  return {
    stdout,
    stderr,
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    isTTY: false,
    stopSignal: controller.signal,
    out: () => out,
    err: () => err,
    stop: () => controller.abort(),
  };
}
