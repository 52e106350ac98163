import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runBench, type BenchResult } from '../../capacity/run-bench.js';
import { numberList, positiveIntFlag, stringFlag } from '../../planner/flag-values.js';
import { progressBar } from '../../planner/progress-bar.js';
import type { CommandRun } from '../cli-io.js';
import { UsageError } from '../cli-io.js';

const HELP = `switchyard bench: load-test an OpenAI-compatible server at rising concurrency

  --target URL          server base URL (http://127.0.0.1:8000 or .../v1)          [required]
  --model M             model name to request                                    [required]
  --concurrency LIST    comma-separated levels                                   [default 1,2,4,8]
  --duration-s N        seconds per level                                        [default 30]
  --max-requests N      requests per level at most                               [default 200]
  --max-tokens N        max_tokens of each request                               [default 256]
  --prompt TEXT         the user message sent
  --api-key-env NAME    environment variable holding the server's API key
  --out FILE            also write the JSON result (feed it to capacity/breakeven/plan --bench)
  --json                print the JSON result

Reports per level: output tokens/s (all completed output tokens ÷ wall time of the level), time to
first token and inter-token latency percentiles (gaps between streamed content chunks).
`;

export const run: CommandRun = async (argv, io) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
      target: { type: 'string' },
      model: { type: 'string' },
      concurrency: { type: 'string' },
      'duration-s': { type: 'string' },
      'max-requests': { type: 'string' },
      'max-tokens': { type: 'string' },
      prompt: { type: 'string' },
      'api-key-env': { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const target = stringFlag(values, 'target');
  const model = stringFlag(values, 'model');
  if (!target || !model) throw new UsageError('--target and --model are required');
  try {
    new URL(target);
  } catch {
    throw new UsageError(`--target '${target}' is not a URL`);
  }
  const keyEnv = stringFlag(values, 'api-key-env');
  const apiKey = keyEnv ? io.env[keyEnv] : undefined;
  if (keyEnv && !apiKey) throw new UsageError(`environment variable ${keyEnv} is not set`);
  const concurrency = numberList(values, 'concurrency') ?? [1, 2, 4, 8];
  if (concurrency.some((c) => !Number.isInteger(c)))
    throw new UsageError('--concurrency levels must be whole numbers');
  const maxRequests = positiveIntFlag(values, 'max-requests') ?? 200;
  const bar = io.isTTY ? progressBar(io.stderr, 'bench') : undefined;
  const result = await runBench({
    target,
    model,
    concurrency,
    durationS: positiveIntFlag(values, 'duration-s') ?? 30,
    maxRequests,
    maxTokens: positiveIntFlag(values, 'max-tokens') ?? 256,
    prompt:
      stringFlag(values, 'prompt') ??
      'Write a detailed paragraph about how railway switchyards sort freight cars.',
    ...(apiKey ? { apiKey } : {}),
    signal: io.stopSignal,
    ...(bar ? { onProgress: (_level: number, done: number, total: number) => bar.update(done, total) } : {}),
  });
  bar?.end();
  const out = stringFlag(values, 'out');
  if (out) await writeFile(resolve(io.cwd, out), `${JSON.stringify(result, null, 2)}\n`);
  io.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : renderBench(result));
  return result.levels.some((l) => l.completed > 0) ? 0 : 1;
};

const f = (v: number | null) => (v === null ? '-' : String(Math.round(v)));

export function renderBench(r: BenchResult): string {
  const lines = [
    `${r.model} at ${r.target}, max_tokens ${r.maxTokens}`,
    '',
    '  concurrency  done  errors  output tok/s  req/s   TTFT p50/p90/p99 ms   ITL p50/p90/p99 ms',
  ];
  for (const l of r.levels)
    lines.push(
      `  ${String(l.concurrency).padEnd(11)}  ${String(l.completed).padEnd(4)}  ${String(l.errors).padEnd(6)}  ${String(l.outputTokensPerSecond).padEnd(12)}  ${String(l.requestsPerSecond).padEnd(6)}  ${`${f(l.ttftMs.p50)}/${f(l.ttftMs.p90)}/${f(l.ttftMs.p99)}`.padEnd(20)}  ${f(l.interTokenMs.p50)}/${f(l.interTokenMs.p90)}/${f(l.interTokenMs.p99)}`,
    );
  const errored = r.levels.find((l) => l.firstError);
  if (errored) lines.push('', `  first error at concurrency ${errored.concurrency}: ${errored.firstError}`);
  if (r.levels.some((l) => !l.usageReported && l.completed > 0))
    lines.push('', '  note: the server did not report usage; output tokens were counted as content chunks.');
  return `${lines.join('\n')}\n`;
}
