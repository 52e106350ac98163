import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { compareWithBaselines, formatComparison } from '../../router/compare-with-baselines.js';
import { defaultRouterModel } from '../../router/default-router-model.js';
import { parseLabelledJsonl, parseRequestLine } from '../../router/labelled-data.js';
import { loadRouterModel, routerModelToJson, type RouterModel } from '../../router/router-model.js';
import { thresholdForStrongShare } from '../../router/router-threshold.js';
import { scoreRequest } from '../../router/score-request.js';
import { DEFAULT_TRAIN_OPTIONS, trainRouter } from '../../router/train-router.js';
import type { CliIO, CommandRun } from '../cli-io.js';
import { UsageError } from '../cli-io.js';

const HELP = `switchyard router <train|score|eval> [options]

The complexity router: scores each request in [0, 1], higher meaning the weak model's answer is
more likely to be worse than the strong model's. Labelled JSONL lines carry "prompt" (or
"messages", optionally "tools", "response_format", "max_tokens") and the quality of the "strong"
and "weak" answers (0/1 or a judge score).

  router train --data labelled.jsonl --out router.json
      --epochs N        optimiser iterations, each a full pass (default ${DEFAULT_TRAIN_OPTIONS.epochs})
      --l2 X            L2 penalty (default ${DEFAULT_TRAIN_OPTIONS.l2})
      --seed N          seed of the initial weights (default ${DEFAULT_TRAIN_OPTIONS.seed})
      --target T        soft (rank by expected quality gain, default) or binary (strong > weak)
      --hash-bits N     2^N hashed lexical weights (default 16)
      --description S   what the data is, stored in the model's metadata

  router score [--model router.json] [--strong-share S] < prompts.jsonl
      One {"score": ...} line per input line ("prompt" or "messages"). Without --model the shipped
      default router scores. --strong-share adds "route": "strong"|"weak" at the threshold that
      sends that share of the training requests to the strong model.

  router eval --model router.json --data labelled.jsonl
      --bootstrap N     bootstrap resamples for the 95% intervals (default 1000)
      --points N        thresholds swept, at score quantiles (default 10, as RouteLLM)
      --seed N          bootstrap seed (default 1)
      --json            print the figures as JSON
      APGR, CPT(50%) and CPT(80%) (RouteLLM, arXiv 2406.18665, section 3.2) for the router, a
      random router and the route-longest-prompts rule.
`;

function intFlag(value: string | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} must be an integer >= ${min}, got '${value}'`);
  return n;
}

function numberFlag(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new UsageError(`--${name} must be a non-negative number, got '${value}'`);
  return n;
}

function readText(io: CliIO, path: string, what: string): string {
  try {
    return readFileSync(resolve(io.cwd, path), 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${what} ${path}: ${(err as Error).message}`, { cause: err });
  }
}

function modelFrom(io: CliIO, path: string | undefined): RouterModel {
  return path === undefined ? defaultRouterModel() : loadRouterModel(resolve(io.cwd, path));
}

async function train(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      epochs: { type: 'string' },
      l2: { type: 'string' },
      seed: { type: 'string' },
      target: { type: 'string' },
      'hash-bits': { type: 'string' },
      description: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (!values.data) throw new UsageError('train needs --data labelled.jsonl');
  if (!values.out) throw new UsageError('train needs --out router.json');
  const target = values.target ?? DEFAULT_TRAIN_OPTIONS.target;
  if (target !== 'soft' && target !== 'binary')
    throw new UsageError(`--target must be soft or binary, got '${target}'`);
  const hashBits = intFlag(values['hash-bits'], 'hash-bits', 16, 4);
  if (hashBits > 22) throw new UsageError('--hash-bits must be at most 22');
  const examples = parseLabelledJsonl(readText(io, values.data, 'labelled data'));
  if (examples.length < 2)
    throw new Error(`${values.data} holds ${examples.length} labelled lines; training needs at least 2`);
  const started = performance.now();
  const model = trainRouter(examples, {
    epochs: intFlag(values.epochs, 'epochs', DEFAULT_TRAIN_OPTIONS.epochs, 1),
    l2: numberFlag(values.l2, 'l2', DEFAULT_TRAIN_OPTIONS.l2),
    seed: intFlag(values.seed, 'seed', DEFAULT_TRAIN_OPTIONS.seed),
    target,
    features: { hashBits },
    trainingData: values.description ?? `${examples.length} labelled requests from ${values.data}`,
  });
  const json = `${JSON.stringify(routerModelToJson(model))}\n`;
  writeFileSync(resolve(io.cwd, values.out), json);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  io.stdout.write(
    `trained on ${examples.length} requests in ${seconds} s; wrote ${values.out} (${json.length} bytes)\n`,
  );
  return 0;
}

async function score(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      'strong-share': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const model = modelFrom(io, values.model);
  let threshold: number | undefined;
  if (values['strong-share'] !== undefined) {
    const share = Number(values['strong-share']);
    if (!(share >= 0 && share <= 1))
      throw new UsageError(`--strong-share must be between 0 and 1, got '${values['strong-share']}'`);
    threshold = thresholdForStrongShare(model, share);
  }
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    const s = scoreRequest(model, parseRequestLine(line, lineNumber));
    const out =
      threshold === undefined ? { score: s } : { score: s, route: s >= threshold ? 'strong' : 'weak' };
    io.stdout.write(`${JSON.stringify(out)}\n`);
  }
  return 0;
}

async function evaluate(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      data: { type: 'string' },
      bootstrap: { type: 'string' },
      points: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (!values.data) throw new UsageError('eval needs --data labelled.jsonl');
  const model = modelFrom(io, values.model);
  const examples = parseLabelledJsonl(readText(io, values.data, 'labelled data'));
  if (examples.length === 0) throw new Error(`${values.data} holds no labelled lines`);
  const scores = Float64Array.from(examples, (e) => scoreRequest(model, e.input));
  const comparison = compareWithBaselines(examples, scores, {
    resamples: intFlag(values.bootstrap, 'bootstrap', 1000, 0),
    points: intFlag(values.points, 'points', 10, 1),
    seed: intFlag(values.seed, 'seed', 1),
  });
  io.stdout.write(values.json ? `${JSON.stringify(comparison)}\n` : formatComparison(comparison));
  return 0;
}

const SUBCOMMANDS: Record<string, (argv: string[], io: CliIO) => Promise<number>> = {
  train,
  score,
  eval: evaluate,
};

export const run: CommandRun = async (argv, io) => {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout.write(HELP);
    return sub === undefined ? 2 : 0;
  }
  const handler = SUBCOMMANDS[sub];
  if (!handler) throw new UsageError(`unknown subcommand '${sub}'; use train, score or eval`);
  try {
    return await handler(rest, io);
  } catch (err) {
    // parseArgs reports unknown or malformed flags with a TypeError carrying this code.
    if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
      throw new UsageError((err as Error).message);
    throw err;
  }
};
