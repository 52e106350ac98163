import type { CliIO, CommandRun } from './cli-io.js';
import { UsageError } from './cli-io.js';

/** Command name → one-line summary. Each lives in `commands/<name>.ts`, loaded only when run. */
export const COMMANDS: Record<string, string> = {
  serve: 'Run the gateway (--config FILE, or --upstream URL for a zero-config proxy)',
  demo: 'Start simulated upstreams and the gateway, send a mixed workload, print what happened',
  simulate: 'Run a simulated OpenAI-compatible (or Anthropic) upstream for tests and demos',
  config: 'config check FILE | config schema: validate a config, print its JSON Schema',
  keys: 'keys create --name N [--workload W] | keys list | keys revoke ID',
  records: 'records tail [-f] | records export --format jsonl|csv',
  prices: 'prices show [model] | prices import FILE',
  usage: 'Spend, baseline and savings by workload, model, key, deployment or day',
  backends: 'Breaker state, in-flight requests and latency of each deployment',
  router: 'router train | score | eval: the complexity router',
  plan: 'Audit usage files and plan the migration (break-even, capacity, decision matrix, report)',
  breakeven: 'Monthly cost of API vs self-hosting, crossover volume, sensitivity',
  capacity: 'GPU memory, GPUs needed and cost per token for a model on a GPU',
  bench: 'Load-test an OpenAI-compatible server at rising concurrency',
};

export function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`);
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
  const mod = (await import(`./commands/${name}.js`)) as { run: CommandRun };
  try {
    return await mod.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`switchyard ${name}: ${err.message}\nRun 'switchyard ${name} --help' for usage.\n`);
      return 2;
    }
    const e = err as Error;
    io.stderr.write(`switchyard ${name}: ${e.message}\n`);
    if (io.env.SWITCHYARD_DEBUG) io.stderr.write(`${e.stack ?? ''}\n`);
    return 1;
  }
}
