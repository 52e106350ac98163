import { writeFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findModel } from '../../capacity/model-catalogue.js';
import { workloadAssigner } from '../../planner/assign-workload.js';
import { buildPlan, type ImportedFile } from '../../planner/build-plan.js';
import { parseColumnMap, type ColumnMap } from '../../planner/parse-mapped-csv.js';
import { loadPlanConfig, parsePlanConfig, type PlanConfig } from '../../planner/plan-config.js';
import { planJson } from '../../planner/plan-json.js';
import { progressBar } from '../../planner/progress-bar.js';
import { detectUsageFormat, readUsageFile } from '../../planner/read-usage-file.js';
import { readRouterEvalStrongShare } from '../../planner/read-router-eval.js';
import { renderPlanHtml } from '../../planner/render-plan-html.js';
import { renderPlanMarkdown } from '../../planner/render-plan-markdown.js';
import { renderPlanText } from '../../planner/render-plan-text.js';
import { UsageAudit } from '../../planner/usage-audit.js';
import { UsagePricer } from '../../planner/usage-pricer.js';
import type { UsageFormat, UsageProblem } from '../../planner/usage-row.js';
import type { CliIO, CommandRun } from '../cli-io.js';
import { UsageError } from '../cli-io.js';
import { plannerArgOptions, readPlannerFlags } from '../planner-flags.js';
import { readBenchFlag } from '../read-bench-flag.js';

const FORMATS: UsageFormat[] = [
  'switchyard-sqlite',
  'switchyard-jsonl',
  'switchyard-csv',
  'openai-usage-json',
  'openai-usage-csv',
  'anthropic-usage-json',
  'openai-costs-json',
  'openai-costs-csv',
  'csv-mapped',
];
const KEPT_PROBLEMS = 200;

const HELP = `switchyard plan: audit usage files and plan the migration

  --usage FILE            usage to audit; repeat for several files                     [required]
                          formats (detected): Switchyard records (the gateway's SQLite database,
                          or its JSONL or CSV export), OpenAI usage API pages (JSON) and usage CSV
                          export, Anthropic usage report (JSON), or any CSV described with --map;
                          OpenAI Costs API pages and costs CSV are read to reconcile computed spend
                          with what was billed
  --map SPEC              generic CSV columns: date=COL,model=COL,input_tokens=COL,output_tokens=COL
                          [,cached_tokens=COL,requests=COL,cost_usd=COL,project=COL,key=COL,workload=COL,tag.NAME=COL]
  --format F              force a format: ${FORMATS.join(', ')}
  --config FILE           workloads, their profiles and the options to compare (YAML; see examples/workloads.yaml)
  --out FILE              write a report; .html (self-contained, with charts), .md or .json; repeatable
  --json                  print the plan as JSON instead of the terminal summary

Overrides of the config's options
  --self-host-model M --gpu G --gpu-hourly-usd X --tokens-per-second T --bench FILE
  --open-model M --hybrid-strong-share S --migration-usd X --peak-to-mean X
  --router-eval FILE [--quality-target 50|80]   hybrid share from 'switchyard router eval --json'
  --ttft-p95-ms N --output-tokens-per-second-per-user N --e2e-p95-ms N   latency targets that cap
                          each replica's concurrency (options.selfHosted.latency)
  Shares are a fraction from 0 to 1 (0.2) or a percentage (20%); --bench must measure the planned model.
  The replica's layout is the one whose replicas serve the usage's peak for the lowest monthly cost.
`;

const OVERRIDES = [
  'self-host-model',
  'gpu',
  'gpu-hourly-usd',
  'tokens-per-second',
  'bench',
  'open-model',
  'hybrid-strong-share',
  'router-eval',
  'quality-target',
  'migration-usd',
  'peak-to-mean',
  'ttft-p95-ms',
  'output-tokens-per-second-per-user',
  'e2e-p95-ms',
] as const;

export const run: CommandRun = async (argv, io) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean', short: 'h' },
      json: { type: 'boolean' },
      usage: { type: 'string', multiple: true },
      map: { type: 'string' },
      format: { type: 'string' },
      config: { type: 'string' },
      out: { type: 'string', multiple: true },
      ...plannerArgOptions(OVERRIDES),
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const files = [...(values.usage ?? [])].map((f) => resolve(io.cwd, f));
  if (files.length === 0) throw new UsageError('--usage FILE is required');
  const format = values.format;
  if (format !== undefined && !FORMATS.includes(format as UsageFormat))
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  let columnMap: ColumnMap | undefined;
  const mapText = values.map;
  if (mapText) {
    try {
      columnMap = parseColumnMap(mapText);
    } catch (err) {
      throw new UsageError(`--map: ${(err as Error).message}`);
    }
  }
  const configFile = values.config;
  let config = configFile ? await loadPlanConfig(resolve(io.cwd, configFile)) : parsePlanConfig({});
  config = await applyOverrides(config, values, io);

  const audit = new UsageAudit(new UsagePricer(config.options.apiPrices));
  // Progress goes to stderr, so it is drawn whenever stderr is a terminal, even with --json > file.
  const drawProgress = (io.stderr as { isTTY?: boolean }).isTTY === true;
  const assign = workloadAssigner(config);
  const problems: UsageProblem[] = [];
  const imported: ImportedFile[] = [];
  for (const file of files) {
    const fileFormat = (format as UsageFormat | undefined) ?? (await detectUsageFormat(file, columnMap));
    const bar = drawProgress ? progressBar(io.stderr, basename(file)) : undefined;
    const entry: ImportedFile = { file: basename(file), format: fileFormat, rows: 0, problems: 0 };
    for await (const item of readUsageFile(file, {
      format: fileFormat,
      ...(columnMap ? { columnMap } : {}),
      ...(bar ? { onProgress: bar.update } : {}),
    })) {
      if (io.stopSignal.aborted) break;
      if ('row' in item) {
        entry.rows++;
        audit.add(item.row, assign(item.row));
      } else if ('empty' in item) {
        entry.emptyBuckets = (entry.emptyBuckets ?? 0) + 1;
        audit.addEmpty(item.empty);
      } else if ('billed' in item) {
        entry.billedRows = (entry.billedRows ?? 0) + 1;
        audit.addBilled(item.billed);
      } else {
        entry.problems++;
        audit.problems++;
        if (problems.length < KEPT_PROBLEMS) problems.push(item.problem);
      }
    }
    bar?.end();
    imported.push(entry);
    if (io.stopSignal.aborted)
      throw new Error(`interrupted while reading ${basename(file)}; no plan written`);
  }
  if (audit.rows === 0) {
    for (const p of problems.slice(0, 10)) io.stderr.write(`${p.file}:${p.where}: ${p.message}\n`);
    const costsOnly = imported.some((f) => f.billedRows);
    throw new Error(
      costsOnly
        ? 'no usable usage rows: cost exports are read to reconcile spend; give the usage export of the same period too'
        : 'no usable usage rows in the given files',
    );
  }
  const report = buildPlan({ audit: audit.summary(), config, files: imported, problems });
  for (const out of values.out ?? []) {
    const path = resolve(io.cwd, out);
    const ext = extname(path).toLowerCase();
    const text =
      ext === '.html' || ext === '.htm'
        ? renderPlanHtml(report)
        : ext === '.md'
          ? renderPlanMarkdown(report)
          : ext === '.json'
            ? `${JSON.stringify(planJson(report), null, 2)}\n`
            : undefined;
    if (text === undefined) throw new UsageError(`--out ${out}: use a .html, .md or .json file name`);
    await writeFile(path, text);
    io.stderr.write(`wrote ${out}\n`);
  }
  if (report.problemCount > 0 && !values.json)
    io.stderr.write(
      `${report.problemCount} malformed row(s) were skipped; each is listed with its file and line.\n`,
    );
  io.stdout.write(values.json ? `${JSON.stringify(planJson(report), null, 2)}\n` : renderPlanText(report));
  return 0;
};

async function applyOverrides(
  config: PlanConfig,
  values: Record<string, unknown>,
  io: CliIO,
): Promise<PlanConfig> {
  const f = readPlannerFlags(values, OVERRIDES);
  const sh = { ...config.options.selfHosted };
  if (f['self-host-model']) sh.model = f['self-host-model'];
  if (f.gpu) sh.gpu = f.gpu;
  if (f['gpu-hourly-usd'] !== undefined) sh.gpuHourlyUsd = f['gpu-hourly-usd'];
  let tps = f['tokens-per-second'];
  if (tps === undefined && f.bench) tps = await readBenchFlag(f.bench, findModel(sh.model), io);
  if (tps !== undefined) sh.replicaOutputTokensPerSecond = tps;
  const latency = {
    ...sh.latency,
    ...(f['ttft-p95-ms'] !== undefined ? { ttftP95Ms: f['ttft-p95-ms'] } : {}),
    ...(f['output-tokens-per-second-per-user'] !== undefined
      ? { outputTokensPerSecondPerUser: f['output-tokens-per-second-per-user'] }
      : {}),
    ...(f['e2e-p95-ms'] !== undefined ? { e2eP95Ms: f['e2e-p95-ms'] } : {}),
  };
  if (Object.keys(latency).length > 0) sh.latency = latency;
  const options = { ...config.options, selfHosted: sh };
  if (f['open-model']) options.openModelApi = { model: f['open-model'] };
  const hybrid = f['hybrid-strong-share'];
  if (hybrid !== undefined) options.hybridStrongShare = hybrid;
  if (hybrid === undefined && f['router-eval'])
    options.hybridStrongShare = await readRouterEvalStrongShare(
      resolve(io.cwd, f['router-eval']),
      f['quality-target'] ?? 80,
    );
  if (f['migration-usd'] !== undefined) options.migrationUsd = f['migration-usd'];
  if (f['peak-to-mean'] !== undefined) options.peakToMean = f['peak-to-mean'];
  return { ...config, options };
}
