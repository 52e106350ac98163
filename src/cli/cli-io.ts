import type { Readable, Writable } from 'node:stream';

/**
 * What a command may touch of the outside world. `main` builds it from the process once; tests build
 * it from buffers, so commands never read `process` themselves.
 */
export interface CliIO {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Whether stdout is a terminal (progress bars and colours only then). */
  isTTY: boolean;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM); long-running commands await it. */
  stopSignal: AbortSignal;
}

/** Every command module exports one of these as `run`. Returns the process exit code. */
export type CommandRun = (argv: string[], io: CliIO) => Promise<number>;

/** A usage error: printed with the command's help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
