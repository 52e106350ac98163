import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runBench, type BenchLevel, type BenchResult } from '../../capacity/run-bench.js';
import { progressBar } from '../../planner/progress-bar.js';
import type { CommandRun } from '../cli-io.js';
import { UsageError } from '../cli-io.js';
import { plannerArgOptions, readPlannerFlags } from '../planner-flags.js';

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
first token and inter-token latency percentiles (gaps between streamed content chunks). Each level
ends at its request or its time budget, whichever comes first; a line on stderr reports it as it
ends. The result records the model the server said it ran and whether it is a simulator, so a
plan can refuse a throughput measured on another model.
`;

const FLAGS = [
  'target',
  'model',
  'concurrency',
  'duration-s',
  'max-requests',
  'max-tokens',
  'prompt',
  'api-key-env',
] as const;

export const run: CommandRun = async (argv, io) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      ...plannerArgOptions(FLAGS),
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const f = readPlannerFlags(values, FLAGS);
  if (!f.target || !f.model) throw new UsageError('--target and --model are required');
  const keyEnv = f['api-key-env'];
  const apiKey = keyEnv ? io.env[keyEnv] : undefined;
  if (keyEnv && !apiKey) throw new UsageError(`environment variable ${keyEnv} is not set`);
  const concurrency = f.concurrency ?? [1, 2, 4, 8];
  const maxRequests = f['max-requests'] ?? 200;
  let bar: ReturnType<typeof progressBar> | undefined;
  const result = await runBench({
    target: f.target,
    model: f.model,
    concurrency,
    durationS: f['duration-s'] ?? 30,
    maxRequests,
    maxTokens: f['max-tokens'] ?? 256,
    prompt: f.prompt ?? 'Write a detailed paragraph about how railway switchyards sort freight cars.',
    ...(apiKey ? { apiKey } : {}),
    signal: io.stopSignal,
    // Drawn whenever stderr is a terminal, so `--json > file` still shows progress.
    ...((io.stderr as { isTTY?: boolean }).isTTY === true
      ? {
          // One bar per level, labelled with it, that only moves forward: a level ends at its
          // request or its time budget, so the bar shows whichever is further along.
          onProgress: (p) => {
            bar ??= progressBar(
              io.stderr,
              `bench concurrency ${p.concurrency} (level ${p.levelIndex + 1} of ${p.levels})`,
            );
            bar.update(Math.round(p.levelFraction * 1000), 1000);
          },
        }
      : {}),
    onLevel: (level) => {
      bar?.update(1000, 1000);
      bar?.end();
      bar = undefined;
      io.stderr.write(`${levelLine(level)}\n`);
    },
  });
  const out = typeof values.out === 'string' ? values.out : undefined;
  if (out) await writeFile(resolve(io.cwd, out), `${JSON.stringify(result, null, 2)}\n`);
  io.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : renderBench(result));
  return result.levels.some((l) => l.completed > 0) ? 0 : 1;
};

/** What a level measured, printed as soon as it ends. */
function levelLine(l: BenchLevel): string {
  return (
    `bench: concurrency ${l.concurrency}: ${l.completed} done, ${l.errors} errors in ${l.wallSeconds} s, ` +
    `${l.outputTokensPerSecond} output tokens/s, TTFT p50 ${f(l.ttftMs.p50)} ms`
  );
}

const f = (v: number | null) => (v === null ? '-' : String(Math.round(v)));

export function renderBench(r: BenchResult): string {
  const lines = [
    `${r.model} at ${r.target}, max_tokens ${r.maxTokens}` +
      (r.servedModel && r.servedModel !== r.model ? ` (the server ran ${r.servedModel})` : '') +
      (r.simulated ? ' (simulated server)' : ''),
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
