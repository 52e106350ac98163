import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runDemo } from '../../demo/run-demo.js';
import { UsageError, type CommandRun } from '../cli-io.js';

const HELP = `switchyard demo [--requests N] [--concurrency C] [--data-dir DIR]

Starts a simulated self-hosted Llama and a simulated GPT-4o, the gateway on SQLite, sends a mixed
workload through it with the official openai SDK and prints what happened. Then moves traffic to a
simulated Llama 70B, on a clock sped up: a shadow comparison on one route, a rollout that completes,
and one that rolls back by itself when its candidate starts failing. Needs no account and no
network. Records stay in DIR (a new temporary folder unless given) for 'switchyard records tail'.
`;

export const run: CommandRun = async (argv, io) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      requests: { type: 'string', default: '60' },
      concurrency: { type: 'string', default: '8' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(requests) || requests < 1)
    throw new UsageError('--requests must be a positive integer');
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new UsageError('--concurrency must be a positive integer');
  const dataDir = values['data-dir']
    ? resolve(io.cwd, values['data-dir'])
    : mkdtempSync(join(tmpdir(), 'switchyard-demo-'));
  const result = await runDemo({ requests, concurrency, dataDir, out: io.stdout });
  return result.failures === 0 ? 0 : 1;
};
