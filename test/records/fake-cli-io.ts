import { PassThrough } from 'node:stream';
import type { CliIO } from '../../src/cli/cli-io.js';

export interface FakeCliIO extends CliIO {
  out: () => string;
  err: () => string;
  stop: () => void;
}

/** A CliIO over buffers, as `main` sees it in tests. */
export function fakeCliIO(cwd: string, env: Record<string, string | undefined> = {}): FakeCliIO {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const controller = new AbortController();
  return {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env,
    cwd,
    isTTY: false,
    stopSignal: controller.signal,
    out: () => out,
    err: () => err,
    stop: () => controller.abort(),
  };
}
