import type { CliIO, CommandRun } from './cli-io.js';
import { UsageError } from './cli-io.js';

type Loader = () => Promise<{ run: CommandRun }>;

/** Every command, loaded only when run so a command's dependencies cost nothing to the others. */
export const COMMANDS: Record<string, { summary: string; load: Loader }> = {
  serve: {
    summary: 'Run the gateway (--config FILE, or --upstream URL for a zero-config proxy)',
    load: () => import('./commands/serve.js'),
  },
  demo: {
    summary: 'Start simulated upstreams and the gateway, send a mixed workload, print what happened',
    load: () => import('./commands/demo.js'),
  },
  simulate: {
    summary: 'Run a simulated OpenAI-compatible (or Anthropic) upstream for tests and demos',
    load: () => import('./commands/simulate.js'),
  },
  config: {
    summary: 'config check FILE | config schema: validate a config, print its JSON Schema',
    load: () => import('./commands/config.js'),
  },
  keys: {
    summary: 'keys create --name N [--workload W] | keys list | keys revoke ID',
    load: () => import('./commands/keys.js'),
  },
  records: {
    summary: 'records tail [-f] | records export --format jsonl|csv',
    load: () => import('./commands/records.js'),
  },
  prices: { summary: 'prices show [model] | prices import FILE', load: () => import('./commands/prices.js') },
  usage: {
    summary: 'Spend, baseline and savings by workload, model, key, deployment or day',
    load: () => import('./commands/usage.js'),
  },
  backends: {
    summary: 'Breaker state, in-flight requests and latency of each deployment',
    load: () => import('./commands/backends.js'),
  },
  rollout: {
    summary: 'rollout status|advance|pause|resume|rollback [ROUTE]: gated cutovers',
    load: () => import('./commands/rollout.js'),
  },
  router: {
    summary: 'router train | score | eval: the complexity router',
    load: () => import('./commands/router.js'),
  },
  shadow: {
    summary: 'shadow report | export --route R: shadow pairs scored and compared, or as router training rows',
    load: () => import('./commands/shadow.js'),
  },
  plan: {
    summary: 'Audit usage files and plan the migration (break-even, capacity, decision matrix, report)',
    load: () => import('./commands/plan.js'),
  },
  breakeven: {
    summary: 'Monthly cost of API vs self-hosting, crossover volume, sensitivity',
    load: () => import('./commands/breakeven.js'),
  },
  capacity: {
    summary: 'GPU memory, GPUs needed and cost per token for a model on a GPU',
    load: () => import('./commands/capacity.js'),
  },
  bench: {
    summary: 'Load-test an OpenAI-compatible server at rising concurrency',
    load: () => import('./commands/bench.js'),
  },
  eval: {
    summary: 'eval run | report | compare | dataset | readiness: score a candidate model against a baseline',
    load: () => import('./commands/eval.js'),
  },
};

export function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`);
  return `switchyard <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'switchyard <command> --help' for a command's options.\n`;
}

function processIO(): CliIO {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    stopSignal: controller.signal,
  };
}

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(helpText());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write('switchyard 0.1.0\n');
    return 0;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    io.stderr.write(`switchyard: unknown command '${name}'\n\n${helpText()}`);
    return 2;
  }
  const mod = await COMMANDS[name].load();
  try {
    return await mod.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError || isParseArgsError(err)) {
      io.stderr.write(`switchyard ${name}: ${err.message}\nRun 'switchyard ${name} --help' for usage.\n`);
      return 2;
    }
    const e = err as Error;
    io.stderr.write(`switchyard ${name}: ${e.message}\n`);
    if (io.env.SWITCHYARD_DEBUG) io.stderr.write(`${e.stack ?? ''}\n`);
    return 1;
  }
}

/** node:util parseArgs refusals (unknown flag, missing value) are usage errors like our own. */
function isParseArgsError(err: unknown): err is Error {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
