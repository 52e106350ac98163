import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { calibrationTable, formatCalibrationTable } from '../../complexity-router/calibration-table.js';
import { compareWithBaselines, formatComparison } from '../../complexity-router/compare-with-baselines.js';
import { defaultRouterModel } from '../../complexity-router/default-router-model.js';
import { parseLabelledJsonl, parseRequestLine } from '../../complexity-router/labelled-data.js';
import {
  loadRouterModel,
  routerModelToJson,
  type RouterModel,
} from '../../complexity-router/router-model.js';
import { thresholdForStrongShare } from '../../complexity-router/router-threshold.js';
import { scoreRequest } from '../../complexity-router/score-request.js';
import { describeSelection, trainSelectedRouter } from '../../complexity-router/select-router.js';
import { stableFold } from '../../complexity-router/stable-fold.js';
import {
  buildFeatureMatrix,
  DEFAULT_TRAIN_OPTIONS,
  trainRouterOnMatrix,
  type LabelledExample,
  type TrainOptions,
} from '../../complexity-router/train-router.js';
import { routerRowsFromPairs } from '../../shadow/router-rows.js';
import { SqliteShadowStore } from '../../shadow/sqlite-shadow-store.js';
import { openSqliteDatabase } from '../../storage/open-sqlite-database.js';
import { resolveDataDir } from '../../storage/resolve-data-dir.js';
import type { CliIO, CommandRun } from '../cli-io.js';
import { parseSince } from './eval.js';
import { UsageError } from '../cli-io.js';

const HELP = `switchyard router <train|score|eval> [options]

The complexity router: scores each request in [0, 1], higher meaning it needs the strong model
more. Labelled JSONL lines carry "prompt" (or "messages", optionally "tools", "response_format",
"max_tokens"), the quality of the "strong" and "weak" answers (0/1, a win share or a judge score),
and optionally "benchmark" (a data set or traffic slice, reported apart) and "group".

  router train --data labelled.jsonl [--data more.jsonl ...] --out router.json
  router train --from-shadow ROUTE [--since T] [--data-dir DIR] --out router.json
      --from-shadow R   train on the judged shadow pairs of route R instead of (or besides) --data:
                        the primary is the strong model, the shadow candidate the weak one
      --since T         with --from-shadow: pairs from then on (24h, 7d or an ISO date)
      --data-dir DIR    with --from-shadow: the gateway's data folder (default .switchyard)
      --holdout S       share of rows held out (by prompt hash) to report on (default 0.2; 0: train on all)
      --l2 X            fix the L2 penalty instead of choosing it by inner cross-validation
      --kind-penalty X  with --l2: penalty on the multiple-choice / open adjustments (default 1)
      --lexical X       with --l2: weight of hashed word features, 0 for none (default 0)
      --cues E          with --l2: cue words as count (default) or presence
      --epochs N        optimiser iterations, each a full pass (default ${DEFAULT_TRAIN_OPTIONS.epochs})
      --seed N          seed of the initial weights (default ${DEFAULT_TRAIN_OPTIONS.seed})
      --target T        soft (rank by expected quality gain, default) or binary (strong > weak)
      --hash-bits N     2^N hashed lexical weights (default 16)
      --bootstrap N     bootstrap resamples for the held-out report (default 1000)
      --description S   what the data is, stored in the model's metadata
      Reports, on the held-out rows, APGR and the strong calls needed for 50% and 80% of the
      quality gap for the new router, the shipped default and the length rule. The router written
      is the one measured: trained on the other rows. Requests of a kind (multiple-choice or open)
      with fewer than 50 training rows are ranked by the length rule, longest first.

  router score [--model router.json] [--strong-share S] < prompts.jsonl
      One {"score": ...} line per input line ("prompt" or "messages"). Without --model the shipped
      default router scores. --strong-share adds "route": "strong"|"weak" at the threshold that
      sends that share of the reference requests to the strong model.

  router eval [--model router.json] --data labelled.jsonl [--data more.jsonl ...]
      --bootstrap N     bootstrap resamples for the 95% intervals (default 1000)
      --points N        thresholds swept, at score quantiles (default 10, as RouteLLM)
      --seed N          bootstrap seed (default 1)
      --json            print the figures as JSON
      Per benchmark: APGR and the share of strong calls needed for 50% and 80% of the quality gap
      (RouteLLM, arXiv 2406.18665, section 3.2) for the router, the length rule and random
      routing, with the paired difference to the length rule; then a calibration table.
`;

function intFlag(value: string | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} must be an integer >= ${min}, got '${value}'`);
  return n;
}

function numberFlag(value: string | undefined, name: string, fallback: number, max = Infinity): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > max)
    throw new UsageError(
      `--${name} must be a number${max < Infinity ? ` between 0 and ${max}` : ' >= 0'}, got '${value}'`,
    );
  return n;
}

function readText(io: CliIO, path: string, what: string): string {
  try {
    return readFileSync(resolve(io.cwd, path), 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${what} ${path}: ${(err as Error).message}`, { cause: err });
  }
}

function readLabelled(io: CliIO, paths: string[]): LabelledExample[] {
  return paths.flatMap((path) => {
    try {
      return parseLabelledJsonl(readText(io, path, 'labelled data'));
    } catch (err) {
      throw new Error(`${path}: ${(err as Error).message}`, { cause: err });
    }
  });
}

/** What a training run reads, in words, for messages and the model's metadata. */
function sources(values: { data?: string[]; 'from-shadow'?: string }): string[] {
  return [
    ...(values.data ?? []),
    ...(values['from-shadow'] ? [`shadow pairs of route ${values['from-shadow']}`] : []),
  ];
}

/** A route's judged shadow pairs as labelled rows (see shadow export --format router-rows). */
function shadowRows(io: CliIO, route: string, since: string | undefined, dataDir: string | undefined) {
  const db = openSqliteDatabase(resolveDataDir({ dataDir, cwd: io.cwd }));
  try {
    return routerRowsFromPairs(
      new SqliteShadowStore(db).query({ routeId: route, fromMs: parseSince(since) }),
    );
  } finally {
    db.close();
  }
}

function modelFrom(io: CliIO, path: string | undefined): RouterModel {
  return path === undefined ? defaultRouterModel() : loadRouterModel(resolve(io.cwd, path));
}

/** Rows grouped by their `benchmark` field, in first-seen order. */
function byBenchmark(examples: readonly LabelledExample[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  examples.forEach((e, i) => {
    const key = e.benchmark ?? 'rows without a benchmark';
    const list = groups.get(key) ?? [];
    list.push(i);
    groups.set(key, list);
  });
  return groups;
}

async function train(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string', multiple: true },
      'from-shadow': { type: 'string' },
      since: { type: 'string' },
      'data-dir': { type: 'string' },
      out: { type: 'string' },
      holdout: { type: 'string' },
      epochs: { type: 'string' },
      l2: { type: 'string' },
      'kind-penalty': { type: 'string' },
      lexical: { type: 'string' },
      cues: { type: 'string' },
      seed: { type: 'string' },
      target: { type: 'string' },
      'hash-bits': { type: 'string' },
      bootstrap: { type: 'string' },
      description: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (!values.data?.length && !values['from-shadow'])
    throw new UsageError('train needs --data labelled.jsonl or --from-shadow ROUTE');
  if (!values.out) throw new UsageError('train needs --out router.json');
  const target = values.target ?? DEFAULT_TRAIN_OPTIONS.target;
  if (target !== 'soft' && target !== 'binary')
    throw new UsageError(`--target must be soft or binary, got '${target}'`);
  const hashBits = intFlag(values['hash-bits'], 'hash-bits', 16, 4);
  if (hashBits > 22) throw new UsageError('--hash-bits must be at most 22');
  const holdout = numberFlag(values.holdout, 'holdout', 0.2, 0.9);
  const fixed = values.l2 !== undefined;
  if (
    !fixed &&
    (values['kind-penalty'] !== undefined || values.lexical !== undefined || values.cues !== undefined)
  )
    throw new UsageError('--kind-penalty, --lexical and --cues fix hyper-parameters: give --l2 with them');
  const cueEncoding = values.cues ?? 'count';
  if (cueEncoding !== 'count' && cueEncoding !== 'presence')
    throw new UsageError(`--cues must be count or presence, got '${cueEncoding}'`);
  const examples = readLabelled(io, values.data ?? []);
  if (values['from-shadow']) {
    const rows = shadowRows(io, values['from-shadow'], values.since, values['data-dir']);
    io.stderr.write(`${rows.length} judged shadow pairs of route ${values['from-shadow']}\n`);
    examples.push(...parseLabelledJsonl(rows.map((r) => JSON.stringify(r)).join('\n')));
  }
  // Held-out rows by prompt hash in 100 buckets, so a prompt labelled twice stays on one side.
  const heldOut = examples.map((e) => stableFold(e.input, 100) < Math.round(holdout * 100));
  const trainRows = examples.flatMap((_, i) => (heldOut[i] ? [] : [i]));
  const testRows = examples.flatMap((_, i) => (heldOut[i] ? [i] : []));
  if (trainRows.length < 2)
    throw new Error(
      `${sources(values).join(', ')}: ${trainRows.length} training rows after holding out ${holdout}; training needs at least 2`,
    );
  const started = performance.now();
  const dataNames = sources(values).join(', ');
  const options: TrainOptions = {
    epochs: intFlag(values.epochs, 'epochs', DEFAULT_TRAIN_OPTIONS.epochs, 1),
    seed: intFlag(values.seed, 'seed', DEFAULT_TRAIN_OPTIONS.seed),
    target,
    features: { hashBits },
    trainingData:
      values.description ??
      `${trainRows.length} labelled requests from ${dataNames}` +
        (testRows.length > 0 ? ` (${testRows.length} more held out for the report)` : ''),
  };
  const lexical = numberFlag(values.lexical, 'lexical', 0);
  const matrix = buildFeatureMatrix(examples, {
    hashBits,
    lexicalScale: fixed && lexical === 0 ? 0 : 1,
    cueEncoding,
  });
  let model: RouterModel;
  let chosen: string;
  if (fixed) {
    model = trainRouterOnMatrix(
      matrix,
      examples,
      {
        ...options,
        l2: numberFlag(values.l2, 'l2', DEFAULT_TRAIN_OPTIONS.l2),
        kindPenalty: numberFlag(values['kind-penalty'], 'kind-penalty', 1),
        features: { hashBits, lexicalScale: lexical },
      },
      trainRows,
    );
    chosen = `fixed by flags: l2 ${model.metadata.l2}, lexical scale ${model.features.lexicalScale}, cue words as ${cueEncoding}`;
  } else {
    const result = trainSelectedRouter(matrix, examples, trainRows, options);
    model = result.model;
    chosen = describeSelection(result.selection);
  }
  const json = `${JSON.stringify(routerModelToJson(model))}\n`;
  writeFileSync(resolve(io.cwd, values.out), json);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  io.stdout.write(
    `trained on ${trainRows.length} requests in ${seconds} s; wrote ${values.out} (${json.length} bytes)\n` +
      `hyper-parameters: ${chosen}\n`,
  );
  if (testRows.length === 0) return 0;
  const held = testRows.map((i) => examples[i]);
  const shipped = defaultRouterModel();
  const comparison = compareWithBaselines(
    held,
    Float64Array.from(held, (e) => scoreRequest(model, e.input)),
    {
      resamples: intFlag(values.bootstrap, 'bootstrap', 1000, 0),
      others: [
        { name: 'shipped default', scores: Float64Array.from(held, (e) => scoreRequest(shipped, e.input)) },
      ],
    },
  );
  io.stdout.write(`\nHeld-out rows (${testRows.length}, ${Math.round(holdout * 100)}% by prompt hash):\n`);
  io.stdout.write(formatComparison(comparison, 'new router'));
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
      data: { type: 'string', multiple: true },
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
  if (!values.data?.length) throw new UsageError('eval needs --data labelled.jsonl');
  const model = modelFrom(io, values.model);
  const examples = readLabelled(io, values.data);
  if (examples.length === 0) throw new Error(`${values.data.join(', ')} holds no labelled lines`);
  const options = {
    resamples: intFlag(values.bootstrap, 'bootstrap', 1000, 0),
    points: intFlag(values.points, 'points', 10, 1),
    seed: intFlag(values.seed, 'seed', 1),
  };
  const scores = Float64Array.from(examples, (e) => scoreRequest(model, e.input));
  const sectionOf = (benchmark: string, rows: number[]) => {
    const held = rows.map((i) => examples[i]);
    const s = Float64Array.from(rows, (i) => scores[i]);
    return {
      benchmark,
      comparison: compareWithBaselines(held, s, options),
      calibration: calibrationTable(
        s,
        held.map((e) => e.strong),
        held.map((e) => e.weak),
      ),
    };
  };
  const groups = [...byBenchmark(examples)];
  const benchmarks = groups.map(([benchmark, rows]) => sectionOf(benchmark, rows));
  const overall =
    groups.length > 1
      ? sectionOf(
          'all rows',
          examples.map((_, i) => i),
        )
      : benchmarks[0];
  if (values.json) {
    // The whole file's figures stay at the top level, where 'plan --router-eval' reads them.
    io.stdout.write(
      `${JSON.stringify({ ...overall.comparison, calibration: overall.calibration, model: model.metadata, benchmarks })}\n`,
    );
    return 0;
  }
  io.stdout.write(
    `Router: ${values.model ?? 'shipped default'}; trained on ${model.metadata.trainingData}\n\n`,
  );
  for (const r of groups.length > 1 ? [overall, ...benchmarks] : benchmarks) {
    io.stdout.write(`## ${r.benchmark}\n${formatComparison(r.comparison)}\n`);
    io.stdout.write(`Calibration (${r.benchmark}): requests by router score band\n`);
    io.stdout.write(`${formatCalibrationTable(r.calibration)}\n`);
  }
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
