import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { caseFromRecord, recordedAnswer } from '../../eval/dataset/case-from-record.js';
import { sampleRouteRecords } from '../../eval/dataset/sample-route-records.js';
import { createGatewayModelClient } from '../../eval/model-client/gateway-model-client.js';
import { withRetries } from '../../eval/model-client/retrying-model-client.js';
import { readinessBlocks, type ReadinessReport } from '../../eval/readiness/readiness-document.js';
import { runReadiness, type ReplayCase } from '../../eval/readiness/run-readiness.js';
import { compareRuns, comparisonBlocks } from '../../eval/report/compare-runs.js';
import { renderBlocks, type Block, type ReportFormat } from '../../eval/report/document.js';
import { evalReportBlocks } from '../../eval/report/eval-report-document.js';
import { RunNotFoundError, reportForRun, runEvalSession } from '../../eval/run/eval-session.js';
import { connectGateway } from '../../eval/run/gateway-connection.js';
import { createProgress } from '../../eval/run/progress.js';
import { SCORERS } from '../../eval/scorers/registry.js';
import { EvalStore, type ModelRole } from '../../eval/store/eval-store.js';
import { createRecordStore } from '../../records/sqlite-record-store.js';
import { resolveDataDir } from '../../storage/resolve-data-dir.js';
import { UsageError, type CliIO, type CommandRun } from '../cli-io.js';

const scorerList = Object.entries(SCORERS)
  .map(([name, s]) => `      ${name.padEnd(13)}${s.summary}`)
  .join('\n');

const HELP = `switchyard eval <run|report|compare|list|dataset|readiness> [options]

  eval run --dataset cases.jsonl --baseline MODEL --candidate MODEL --scorer NAME [--scorer NAME ...]
      Sends every case to both models through a gateway, scores the answers and reports per scorer
      the means with 95% bootstrap intervals, the paired difference and paired tests, win/tie/loss,
      cost and latency per model, and the worst cases. Results are stored as they complete.
      --gateway URL          a running gateway (key from SWITCHYARD_API_KEY, or --api-key-env VAR)
      --config FILE          or start one from this config, in-process on a free port
      --scorer NAME|PATH     built-in scorer, or a custom scorer module; repeat for several:
${scorerList}
      --judge MODEL          model for the judge scorers (judge, judge-rubric)
      --judge-prompt FILE    pairwise judge prompt template (default: examples/eval/prompts/pairwise.md)
      --rubric FILE          criteria and scale for judge-rubric (YAML or JSON)
      --judge-both-orders S  share of pairwise cases judged in both orders (default 0.2)
      --embedding-model M    embeddings model for the embedding scorer
      --concurrency N        model calls at once, judges included (default 4)
      --retries N            retries of a call on 429, 5xx, timeouts and lost connections (default 3)
      --timeout-ms N         give up on one call after this long (default 300000)
      --seed N               answer order for the judge and bootstrap resamples (default 1)
      --resume RUN_ID        continue a stopped run: only what is missing is sent
      --format F             text (default), markdown, html or json; --out FILE writes it there

  eval report RUN_ID [--format F] [--out FILE]         the report of a stored run
  eval compare RUN_A RUN_B [--role candidate|baseline] B against A, paired on common cases
  eval list                                            stored runs, newest first

  eval dataset --from-records --route R [--sample N] [--seed N] [--since T] [--out FILE]
      A JSONL eval set from the route's recorded requests (those that kept their bodies:
      logBodies on). Without --out, to stdout.

  eval readiness --route R --candidate MODEL [--sample N] [--seed N] [--since T]
      Replays a sample of the route's recorded requests to MODEL (through --gateway or --config)
      and lists what would break: tool-call format, JSON mode, structured output, context length,
      output cut at max tokens, images, stop sequences; counts and examples of each.

Common: --data-dir DIR (evals.db and the records; default .switchyard, or the config's
server.dataDir), --since 24h | 7d | 2026-11-01 (records from then on).
`;

const FORMATS: readonly ReportFormat[] = ['text', 'markdown', 'html', 'json'];

function intFlag(value: string | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} must be an integer >= ${min}, got '${value}'`);
  return n;
}

function shareFlag(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = value.endsWith('%') ? Number(value.slice(0, -1)) / 100 : Number(value);
  if (!(n >= 0 && n <= 1))
    throw new UsageError(`--${name} must be a share between 0 and 1 (or 0% to 100%), got '${value}'`);
  return n;
}

function formatFlag(format: string | undefined, out: string | undefined): ReportFormat {
  if (format !== undefined) {
    if (!FORMATS.includes(format as ReportFormat))
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got '${format}'`);
    return format as ReportFormat;
  }
  const ext = out ? extname(out).toLowerCase() : '';
  return ext === '.md'
    ? 'markdown'
    : ext === '.html' || ext === '.htm'
      ? 'html'
      : ext === '.json'
        ? 'json'
        : 'text';
}

/** `24h`, `7d`, `30m`, or an ISO date or time. */
export function parseSince(value: string | undefined, nowMs = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const rel = /^(\d+(?:\.\d+)?)\s*(m|h|d)$/.exec(value);
  if (rel)
    return nowMs - Number(rel[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[rel[2] as 'm' | 'h' | 'd'];
  const at = Date.parse(value);
  if (!Number.isFinite(at))
    throw new UsageError(`--since must be like 24h, 7d or 2026-11-01, got '${value}'`);
  return at;
}

function write(io: CliIO, out: string | undefined, text: string): void {
  if (out) {
    writeFileSync(resolve(io.cwd, out), text);
    io.stderr.write(`wrote ${out}\n`);
  } else io.stdout.write(text);
}

function emit(
  io: CliIO,
  blocks: Block[],
  json: unknown,
  format: ReportFormat,
  out: string | undefined,
  title: string,
) {
  write(
    io,
    out,
    format === 'json' ? `${JSON.stringify(json, null, 2)}\n` : renderBlocks(blocks, format, title),
  );
}

const stderrIsTTY = (io: CliIO) => (io.stderr as { isTTY?: boolean }).isTTY === true;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  dataset: { type: 'string' },
  baseline: { type: 'string' },
  candidate: { type: 'string' },
  scorer: { type: 'string', multiple: true },
  judge: { type: 'string' },
  'judge-prompt': { type: 'string' },
  rubric: { type: 'string' },
  'judge-both-orders': { type: 'string' },
  'embedding-model': { type: 'string' },
  gateway: { type: 'string' },
  'api-key-env': { type: 'string' },
  config: { type: 'string', short: 'c' },
  concurrency: { type: 'string' },
  retries: { type: 'string' },
  'timeout-ms': { type: 'string' },
  seed: { type: 'string' },
  resume: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string', short: 'o' },
  'data-dir': { type: 'string' },
  role: { type: 'string' },
  'from-records': { type: 'boolean' },
  route: { type: 'string' },
  sample: { type: 'string' },
  since: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function apiKey(io: CliIO, values: Values): string | undefined {
  const name = values['api-key-env'] ?? 'SWITCHYARD_API_KEY';
  const key = io.env[name];
  if (values['api-key-env'] && !key)
    throw new UsageError(`environment variable ${name} (--api-key-env) is not set`);
  return key || undefined;
}

function gatewayOf(io: CliIO, values: Values) {
  if (values.gateway && values.config)
    throw new UsageError('give either --gateway URL or --config FILE, not both');
  if (!values.gateway && !values.config)
    throw new UsageError('give --gateway URL (a running gateway) or --config FILE');
  return {
    url: values.gateway,
    apiKey: values.gateway ? apiKey(io, values) : undefined,
    configPath: values.config,
  };
}

function dataDirOf(io: CliIO, values: Values): string {
  return resolveDataDir({ dataDir: values['data-dir'], configPath: values.config, cwd: io.cwd });
}

async function runCommand(io: CliIO, values: Values, positionals: string[]): Promise<number> {
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const format = formatFlag(values.format, values.out);
  const concurrency = intFlag(values.concurrency, 'concurrency', 4, 1);
  const retries = intFlag(values.retries, 'retries', 3, 0);
  const timeoutMs = intFlag(values['timeout-ms'], 'timeout-ms', 300_000, 1);
  let runSpec: Parameters<typeof runEvalSession>[0]['run'];
  if (values.resume) {
    for (const flag of [
      'dataset',
      'baseline',
      'candidate',
      'scorer',
      'judge',
      'judge-prompt',
      'rubric',
      'judge-both-orders',
      'embedding-model',
      'seed',
    ] as const)
      if (values[flag] !== undefined)
        throw new UsageError(`--resume continues a run as it was started; --${flag} cannot change it`);
    runSpec = { resume: values.resume };
  } else {
    if (!values.dataset) throw new UsageError('eval run needs --dataset cases.jsonl (or --resume RUN_ID)');
    if (!values.baseline || !values.candidate)
      throw new UsageError('eval run needs --baseline MODEL and --candidate MODEL');
    if (!values.scorer?.length)
      throw new UsageError(`eval run needs at least one --scorer (${Object.keys(SCORERS).join(', ')})`);
    runSpec = {
      dataset: values.dataset,
      baseline: values.baseline,
      candidate: values.candidate,
      scorerSpecs: values.scorer,
      judge: values.judge,
      judgePromptPath: values['judge-prompt'],
      rubricPath: values.rubric,
      bothOrdersShare: shareFlag(values['judge-both-orders'], 'judge-both-orders', 0.2),
      embeddingModel: values['embedding-model'],
      seed: intFlag(values.seed, 'seed', 1, 0),
    };
  }
  const gateway = gatewayOf(io, values);
  const dataDir = dataDirOf(io, values);
  let session;
  try {
    session = await runEvalSession({
      dataDir,
      cwd: io.cwd,
      env: io.env,
      run: runSpec,
      gateway,
      concurrency,
      retries,
      timeoutMs,
      progressOut: io.stderr,
      progressTty: stderrIsTTY(io),
      signal: io.stopSignal,
      warn: (m) => io.stderr.write(`switchyard: warning: ${m}\n`),
    });
  } catch (err) {
    if (err instanceof RunNotFoundError) throw new UsageError(err.message);
    throw err;
  }
  const { report, result, runId, retries: retried } = session;
  emit(io, evalReportBlocks(report), report, format, values.out, `Eval ${runId}`);
  if (retried.size)
    io.stderr.write(`retried calls: ${[...retried].map(([why, n]) => `${n} after ${why}`).join(', ')}\n`);
  if (result.status === 'interrupted' || result.scoringErrors.length) {
    const how = gateway.url ? `--gateway ${gateway.url}` : `--config ${gateway.configPath}`;
    io.stderr.write(
      `eval ${runId} is not complete${result.scoringErrors.length ? ` (${result.scoringErrors.length} scores failed)` : ''}; continue with: switchyard eval run --resume ${runId} ${how}\n`,
    );
    return 1;
  }
  return 0;
}

async function reportCommand(io: CliIO, values: Values, positionals: string[]): Promise<number> {
  if (positionals.length !== 1) throw new UsageError('eval report takes one RUN_ID');
  const format = formatFlag(values.format, values.out);
  try {
    const report = await reportForRun(dataDirOf(io, values), positionals[0], io.cwd);
    emit(io, evalReportBlocks(report), report, format, values.out, `Eval ${report.run.id}`);
  } catch (err) {
    if (err instanceof RunNotFoundError) throw new UsageError(err.message);
    throw err;
  }
  return 0;
}

async function compareCommand(io: CliIO, values: Values, positionals: string[]): Promise<number> {
  if (positionals.length !== 2) throw new UsageError('eval compare takes two run ids: RUN_A RUN_B');
  const role = (values.role ?? 'candidate') as ModelRole;
  if (role !== 'candidate' && role !== 'baseline')
    throw new UsageError(`--role must be candidate or baseline, got '${values.role}'`);
  const format = formatFlag(values.format, values.out);
  const dataDir = dataDirOf(io, values);
  const store = EvalStore.open(dataDir);
  try {
    const rows = positionals.map((id) => {
      const run = store.getRun(id);
      if (!run) throw new UsageError(new RunNotFoundError(id, dataDir).message);
      return { run, calls: store.calls(id), scores: store.scores(id) };
    });
    const comparison = compareRuns(rows[0], rows[1], role);
    emit(
      io,
      comparisonBlocks(comparison),
      comparison,
      format,
      values.out,
      `Eval ${positionals[1]} vs ${positionals[0]}`,
    );
  } finally {
    store.close();
  }
  return 0;
}

async function listCommand(io: CliIO, values: Values): Promise<number> {
  const store = EvalStore.open(dataDirOf(io, values));
  try {
    const runs = store.listRuns();
    if (!runs.length) {
      io.stdout.write('no eval runs yet\n');
      return 0;
    }
    for (const r of runs) {
      const done = store.events(r.id).some((e) => e.event === 'finished');
      io.stdout.write(
        `${r.id}  ${new Date(r.createdAtMs).toISOString()}  ${done ? 'finished  ' : 'incomplete'}  ${r.caseCount} cases  ${r.settings.candidate} vs ${r.settings.baseline}  ${r.settings.scorerNames.join(',')}\n`,
      );
    }
  } finally {
    store.close();
  }
  return 0;
}

async function sampleCases(io: CliIO, values: Values) {
  if (!values.route) throw new UsageError('give --route ROUTE_ID');
  const sample = intFlag(values.sample, 'sample', 100, 1);
  const seed = intFlag(values.seed, 'seed', 1, 0);
  const dataDir = dataDirOf(io, values);
  const records = createRecordStore({ dataDir, batchIntervalMs: 1000, batchSize: 1000 });
  try {
    const drawn = await sampleRouteRecords(records, {
      route: values.route,
      sample,
      seed,
      fromMs: parseSince(values.since),
    });
    return { ...drawn, sample, seed, route: values.route };
  } finally {
    await records.close();
  }
}

async function datasetCommand(io: CliIO, values: Values, positionals: string[]): Promise<number> {
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (!values['from-records'])
    throw new UsageError('eval dataset builds sets from recorded traffic: give --from-records');
  const drawn = await sampleCases(io, values);
  const lines: string[] = [];
  for (const record of drawn.records) {
    const c = caseFromRecord(record);
    if (c) lines.push(JSON.stringify(c));
  }
  write(io, values.out, lines.length ? `${lines.join('\n')}\n` : '');
  io.stderr.write(
    `${lines.length} cases from ${drawn.matched} successful requests of route ${drawn.route}` +
      (drawn.withoutBody ? ` (${drawn.withoutBody} kept no body: turn on logBodies to include them)` : '') +
      '\n',
  );
  if (drawn.matched === 0) {
    io.stderr.write(
      `no recorded requests of route '${drawn.route}'${values.since ? ` since ${values.since}` : ''}\n`,
    );
    return 1;
  }
  return 0;
}

async function readinessCommand(io: CliIO, values: Values, positionals: string[]): Promise<number> {
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (!values.candidate) throw new UsageError('eval readiness needs --candidate MODEL');
  const format = formatFlag(values.format, values.out);
  const gatewayFlags = gatewayOf(io, values);
  const concurrency = intFlag(values.concurrency, 'concurrency', 4, 1);
  const retries = intFlag(values.retries, 'retries', 3, 0);
  const drawn = await sampleCases(io, values);
  const cases: ReplayCase[] = [];
  for (const record of drawn.records) {
    const c = caseFromRecord(record);
    if (c) cases.push({ case: c, recorded: recordedAnswer(record) });
  }
  if (!cases.length) {
    io.stderr.write(
      `nothing to replay: ${drawn.matched} successful requests of route '${drawn.route}', ${drawn.withoutBody} without a stored body\n`,
    );
    return 1;
  }
  const gateway = await connectGateway({
    gatewayUrl: gatewayFlags.url,
    apiKey: gatewayFlags.apiKey,
    configPath: gatewayFlags.configPath,
    cwd: io.cwd,
    env: io.env,
    warn: (m) => io.stderr.write(`switchyard: warning: ${m}\n`),
  });
  let result;
  try {
    const client = withRetries(
      createGatewayModelClient({
        baseURL: gateway.baseURL,
        apiKey: gateway.apiKey,
        headers: { 'x-switchyard-tags': 'eval_role=readiness' },
        timeoutMs: intFlag(values['timeout-ms'], 'timeout-ms', 300_000, 1),
      }),
      { retries },
    );
    result = await runReadiness({
      cases,
      candidate: values.candidate,
      client,
      concurrency,
      signal: io.stopSignal,
      progress: createProgress({
        out: io.stderr,
        tty: stderrIsTTY(io),
        label: `readiness ${values.candidate}`,
        unit: 'requests',
      }),
    });
  } finally {
    await gateway.close();
  }
  const report: ReadinessReport = {
    ...result,
    route: drawn.route,
    matched: drawn.matched,
    withoutBody: drawn.withoutBody,
    sampled: drawn.records.length,
    seed: drawn.seed,
    gateway: gateway.description,
  };
  emit(io, readinessBlocks(report), report, format, values.out, `Readiness of ${values.candidate}`);
  return 0;
}

export const run: CommandRun = async (argv, io) => {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  const [sub, ...rest] = positionals;
  if (values.help || !sub) {
    io.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  switch (sub) {
    case 'run':
      return runCommand(io, values, rest);
    case 'report':
      return reportCommand(io, values, rest);
    case 'compare':
      return compareCommand(io, values, rest);
    case 'list':
      return listCommand(io, values);
    case 'dataset':
      return datasetCommand(io, values, rest);
    case 'readiness':
      return readinessCommand(io, values, rest);
    default:
      throw new UsageError(
        `unknown subcommand '${sub}'; use run, report, compare, list, dataset or readiness`,
      );
  }
};
