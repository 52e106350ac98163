/**
 * The gateway as operators run it: `node bin/switchyard.js serve --config FILE` in a child process,
 * for tests of what only a separate process shows (a signal, its exit, an event loop the test does
 * not share). `bin/` runs the compiled `dist/`: build first (`npm run build`).
 *
 *   const gw = await startChildGateway({ deployments: [...], models: [...] });
 *   gw.terminate();                           // SIGTERM
 *   const { code, atMs } = await gw.exited;
 *   const records = await exportRecords(gw.dataDir);
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigInput } from '../../src/config/schema/config-schema.js';
import type { StoredRecord } from '../../src/spec/request-record.js';
import { MASTER_KEY } from './test-gateway.js';

const BIN = fileURLToPath(new URL('../../bin/switchyard.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface ChildGateway {
  url: string;
  /** Base URL for the OpenAI SDK. */
  openaiBaseURL: string;
  dataDir: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves when the process has exited, with `performance.now()` at that moment. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>;
  /** Resolves with `performance.now()` once stdout contains `text`. */
  waitForOutput(text: string): Promise<number>;
  /** Sends SIGTERM, as an orchestrator stopping the gateway does; returns `performance.now()`. */
  terminate(): number;
  /** Kills the process if it still runs and removes its data folder. */
  dispose(): Promise<void>;
}

/** Starts `switchyard serve` on a random port with `config` (a fresh data folder, the test master key). */
export async function startChildGateway(
  config: ConfigInput,
  env: Record<string, string> = {},
): Promise<ChildGateway> {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run npm run build first`);
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-child-'));
  const configFile = join(dataDir, 'switchyard.yaml');
  // JSON is YAML.
  writeFileSync(
    configFile,
    JSON.stringify({
      ...config,
      server: { host: '127.0.0.1', ...config.server, port: 0, dataDir },
      records: { batchIntervalMs: 20, ...config.records },
    }),
  );
  const child = spawn(process.execPath, [BIN, 'serve', '--config', configFile], {
    cwd: dataDir,
    env: { PATH: process.env.PATH ?? '', SWITCHYARD_MASTER_KEY: MASTER_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: Array<() => void> = [];
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
    for (const w of [...watchers]) w();
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>(
    (resolve) =>
      child.once('exit', (code, signal) => {
        const atMs = performance.now();
        for (const w of [...watchers]) w();
        resolve({ code, signal, atMs });
      }),
  );
  let running = true;
  void exited.then(() => (running = false));

  const waitForOutput = (text: string) =>
    new Promise<number>((resolve, reject) => {
      const check = () => {
        if (stdout.includes(text)) {
          watchers.splice(watchers.indexOf(check), 1);
          resolve(performance.now());
        } else if (!running) {
          watchers.splice(watchers.indexOf(check), 1);
          reject(new Error(`the gateway exited without printing '${text}'.\n${stdout}\n${stderr}`));
        }
      };
      watchers.push(check);
      check();
    });

  await waitForOutput('OpenAI base URL');
  const url = /listening on (http:\/\/\S+)/.exec(stdout)![1];
  return {
    url,
    openaiBaseURL: `${url}/v1`,
    dataDir,
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    waitForOutput,
    terminate() {
      child.kill('SIGTERM');
      return performance.now();
    },
    async dispose() {
      if (running) {
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** What `switchyard records export` lists for a data folder, parsed. */
export async function exportRecords(dataDir: string): Promise<StoredRecord[]> {
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      [BIN, 'records', 'export', '--format', 'jsonl', '--data-dir', dataDir],
      { cwd: dataDir, env: { PATH: process.env.PATH ?? '' }, maxBuffer: 64 * 1024 * 1024 },
      (err, out, errText) =>
        err ? reject(new Error(`records export failed: ${err.message}\n${errText}`)) : resolve(out),
    ),
  );
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as StoredRecord);
}
