import { parseArgs } from 'node:util';
import {
  FAULT_MODES,
  PROFILES,
  SimulatorOptionsError,
  startSimulator,
  type SimulatorOptionsInput,
} from '../../simulate/index.js';
import { UsageError, type CommandRun } from '../cli-io.js';

const DEFAULTS = { ttftMs: 150, tokensPerSecond: 60, capacity: 32 };

const HELP = `switchyard simulate [options]

Runs a SIMULATED LLM server on this machine: no model is loaded and every answer is placeholder text
that starts with "[simulated <model>]". Use it to try the gateway, run benchmarks and test failure
handling without a GPU or an API key. Runs until interrupted (Ctrl-C).

Options:
  --port N                 port to listen on (default 0: a free port, printed at start)
  --host H                 interface to listen on (default 127.0.0.1)
  --protocol P             openai (default) or anthropic (the Messages API at /v1/messages)
  --profile P              server to pose as: ${PROFILES.join(', ')} (default vllm)
  --model NAME             model name served; repeat for several (default simulated-model)
  --ttft-ms N              time to first token at light load (default ${DEFAULTS.ttftMs})
  --tokens-per-second N    decode speed per request, 0 = instant (default ${DEFAULTS.tokensPerSecond})
  --output-tokens N        tokens per answer: N, MIN-MAX, or max_tokens (default 64)
  --capacity N             requests served at full speed at once (default ${DEFAULTS.capacity})
  --max-concurrent N       requests running at once before others queue (default 2 x capacity)
  --jitter F               random spread of delays, 0..1 (default 0)
  --context-window N       prompt plus output limit in tokens (default 131072)
  --error-rate F           share of requests that fail, 0..1 (default 0)
  --error-mode M           how they fail: ${FAULT_MODES.join(', ')}
  --api-key-env VAR        require the key held in environment variable VAR
  --omit-stream-usage      ignore stream_options.include_usage, like some upstreams
  -h, --help               show this help

Per request, the headers x-simulate-fault: <mode>, x-simulate-ttft-ms: N,
x-simulate-tokens-per-second: N and x-simulate-output-tokens: N override the settings.
`;

function number(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`--${flag} must be a number, got '${raw}'`);
  return n;
}

function outputTokens(raw: string | undefined): SimulatorOptionsInput['outputTokens'] {
  if (raw === undefined) return undefined;
  if (raw === 'max_tokens') return 'max_tokens';
  const range = /^(\d+)-(\d+)$/.exec(raw);
  if (range) return { min: Number(range[1]), max: Number(range[2]) };
  if (/^\d+$/.test(raw)) return Number(raw);
  throw new UsageError(`--output-tokens must be N, MIN-MAX or max_tokens, got '${raw}'`);
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        protocol: { type: 'string' },
        profile: { type: 'string' },
        model: { type: 'string', short: 'm', multiple: true },
        'ttft-ms': { type: 'string' },
        'tokens-per-second': { type: 'string' },
        'output-tokens': { type: 'string' },
        capacity: { type: 'string' },
        'max-concurrent': { type: 'string' },
        jitter: { type: 'string' },
        'context-window': { type: 'string' },
        'error-rate': { type: 'string' },
        'error-mode': { type: 'string' },
        'api-key-env': { type: 'string' },
        'omit-stream-usage': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export const run: CommandRun = async (argv, io) => {
  const values = parse(argv);
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  let apiKey: string | undefined;
  if (values['api-key-env'] !== undefined) {
    apiKey = io.env[values['api-key-env']];
    if (!apiKey)
      throw new UsageError(`environment variable ${values['api-key-env']} (from --api-key-env) is not set`);
  }
  if (values['error-mode'] !== undefined && values['error-rate'] === undefined)
    io.stderr.write(
      'note: --error-mode has no effect without --error-rate (or the x-simulate-fault header)\n',
    );

  const options = {
    port: number('port', values.port),
    host: values.host,
    protocol: values.protocol,
    profile: values.profile,
    model: values.model,
    ttftMs: number('ttft-ms', values['ttft-ms']) ?? DEFAULTS.ttftMs,
    tokensPerSecond: number('tokens-per-second', values['tokens-per-second']) ?? DEFAULTS.tokensPerSecond,
    outputTokens: outputTokens(values['output-tokens']),
    capacity: number('capacity', values.capacity) ?? DEFAULTS.capacity,
    maxConcurrent: number('max-concurrent', values['max-concurrent']),
    jitter: number('jitter', values.jitter),
    contextWindow: number('context-window', values['context-window']),
    errorRate: number('error-rate', values['error-rate']),
    errorMode: values['error-mode'],
    apiKey,
    omitStreamUsage: values['omit-stream-usage'],
  };
  // Flags are strings; the simulator's own schema names the offending option and its allowed values.
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));

  let sim;
  try {
    sim = await startSimulator(defined as SimulatorOptionsInput);
  } catch (err) {
    if (err instanceof SimulatorOptionsError) throw new UsageError(err.message);
    throw err;
  }
  const b = sim.behaviour;
  const speed = b.tokensPerSecond > 0 ? `${b.tokensPerSecond} tokens/s` : 'instant output';
  io.stdout.write(
    `switchyard simulate: SIMULATED ${b.protocol === 'anthropic' ? 'Anthropic Messages API' : `OpenAI-compatible server posing as ${b.profile}`}; no real model, answers are placeholders\n` +
      `  ${b.protocol === 'anthropic' ? 'base URL (Anthropic SDK)' : 'base URL'}: ${b.protocol === 'anthropic' ? sim.origin : sim.url}\n` +
      `  models: ${b.models.join(', ')}\n` +
      `  time to first token ${b.ttftMs} ms, ${speed}, capacity ${b.capacity} (${b.maxConcurrent} running before queueing)\n` +
      (b.errorRate > 0 ? `  fault injection: ${Math.round(b.errorRate * 100)}% ${b.errorMode}\n` : ''),
  );
  if (!io.stopSignal.aborted)
    await new Promise((r) => io.stopSignal.addEventListener('abort', r, { once: true }));
  await sim.close();
  io.stdout.write(`switchyard simulate: stopped after ${sim.stats.requests} requests\n`);
  return 0;
};
