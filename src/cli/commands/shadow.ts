import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createGatewayModelClient } from '../../eval/model-client/gateway-model-client.js';
import { withRetries } from '../../eval/model-client/retrying-model-client.js';
import { renderBlocks, type Block, type ReportFormat } from '../../eval/report/document.js';
import { evalReportBlocks } from '../../eval/report/eval-report-document.js';
import { resolveScorers } from '../../eval/scorers/registry.js';
import { routerRowsFromPairs } from '../../shadow/router-rows.js';
import { buildShadowReports } from '../../shadow/shadow-report.js';
import { SqliteShadowStore } from '../../shadow/sqlite-shadow-store.js';
import { openSqliteDatabase } from '../../storage/open-sqlite-database.js';
import { resolveDataDir } from '../../storage/resolve-data-dir.js';
import { UsageError, type CliIO, type CommandRun } from '../cli-io.js';
import { parseSince } from './eval.js';

const HELP = `switchyard shadow <report|export> --route R [options]

  shadow report --route R [--since T] [--scorer NAME ...] [--format F] [--out FILE]
      Scores the route's stored shadow pairs with the eval scorers (the primary's answer is the
      reference) and reports, per candidate, the same statistics as an eval run: means with 95%
      bootstrap intervals, the paired difference and paired tests, win/tie/loss, cost and latency of
      primary and candidate, the worst cases first. Scores the gateway recorded while the pairs
      completed (shadow.score) are reported too, as "<scorer> (live)".
      --scorer NAME|PATH   default rouge-l; judge and embedding scorers need --gateway
      --judge MODEL        model for judge scorers, called through --gateway
      --gateway URL        a running gateway for judge and embedding calls (key from
                           SWITCHYARD_API_KEY, or --api-key-env VAR)
      --format F           text (default), markdown, html or json

  shadow export --route R [--since T] [--format jsonl|router-rows] [--out FILE]
      The pairs as JSON lines, or as the complexity router's training rows
      ({prompt, strong, weak}) from the pairs' live scores: retrain with
      switchyard router train --data FILE, or switchyard router train --from-shadow R.

Common: --data-dir DIR (default .switchyard, or the config's server.dataDir with --config FILE),
--since 24h | 7d | 2026-11-01 (pairs from then on).
`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  route: { type: 'string' },
  since: { type: 'string' },
  scorer: { type: 'string', multiple: true },
  judge: { type: 'string' },
  gateway: { type: 'string' },
  'api-key-env': { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string', short: 'o' },
  'data-dir': { type: 'string' },
  config: { type: 'string', short: 'c' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'markdown', 'html', 'json'];
const EXTENSIONS: Record<string, ReportFormat> = { '.md': 'markdown', '.html': 'html', '.json': 'json' };

function write(io: CliIO, out: string | undefined, text: string): void {
  if (!out) return void io.stdout.write(text);
  writeFileSync(resolve(io.cwd, out), text);
  io.stderr.write(`wrote ${out}\n`);
}

/** The pairs the command reads, with what each primary cost. */
function readPairs(io: CliIO, values: Values) {
  if (!values.route) throw new UsageError('give --route R (a route id with shadow candidates)');
  const dataDir = resolveDataDir({ dataDir: values['data-dir'], configPath: values.config, cwd: io.cwd });
  const db = openSqliteDatabase(dataDir);
  try {
    const store = new SqliteShadowStore(db);
    return store.withPrimaryCosts(store.query({ routeId: values.route, fromMs: parseSince(values.since) }));
  } finally {
    db.close();
  }
}

async function reportCommand(io: CliIO, values: Values): Promise<number> {
  const format: ReportFormat =
    (values.format as ReportFormat | undefined) ??
    (values.out ? (EXTENSIONS[extname(values.out)] ?? 'text') : 'text');
  if (!REPORT_FORMATS.includes(format))
    throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}, got '${values.format}'`);
  const pairs = readPairs(io, values);
  if (pairs.length === 0) {
    io.stderr.write(
      `no shadow pairs for route '${values.route}'${values.since ? ` since ${values.since}` : ''}\n`,
    );
    return 1;
  }
  const scorers = await resolveScorers(values.scorer ?? ['rouge-l'], { judgeModel: values.judge }, io.cwd);
  let client;
  if (values.gateway) {
    const keyName = values['api-key-env'] ?? 'SWITCHYARD_API_KEY';
    client = withRetries(
      createGatewayModelClient({
        baseURL: `${values.gateway.replace(/\/+$/, '')}/v1`,
        // A keyless quick-start gateway takes any key.
        apiKey: io.env[keyName] ?? 'none',
        headers: { 'x-switchyard-tags': 'shadow_report=judge' },
        timeoutMs: 300_000,
      }),
      { retries: 3 },
    );
  }
  const reports = await buildShadowReports(pairs, {
    routeId: values.route!,
    scorers,
    client,
    window: values.since ? `since ${values.since}` : 'all stored',
  });
  if (format === 'json') return (write(io, values.out, `${JSON.stringify(reports, null, 2)}\n`), 0);
  const blocks: Block[] = [];
  for (const r of reports) {
    blocks.push({ kind: 'heading', text: `Route ${r.routeId}: ${r.candidate} in shadow of the primary` });
    if (r.withoutAnswers)
      blocks.push({
        kind: 'paragraph',
        text: `${r.withoutAnswers} of ${r.pairs} pairs kept no answers (the route stores no bodies): they count in cost, latency and errors, not in scores.`,
      });
    blocks.push(...evalReportBlocks(r.report));
  }
  write(io, values.out, renderBlocks(blocks, format, `Shadow report: route ${values.route}`));
  return 0;
}

function exportCommand(io: CliIO, values: Values): number {
  const format = values.format ?? 'jsonl';
  if (format !== 'jsonl' && format !== 'router-rows')
    throw new UsageError(`--format must be jsonl or router-rows, got '${format}'`);
  const pairs = readPairs(io, values);
  const lines = format === 'jsonl' ? pairs : routerRowsFromPairs(pairs);
  write(io, values.out, lines.map((l) => JSON.stringify(l)).join('\n') + (lines.length ? '\n' : ''));
  if (format === 'router-rows' && lines.length < pairs.length)
    io.stderr.write(
      `${pairs.length - lines.length} of ${pairs.length} pairs had no live score or no stored request\n`,
    );
  return 0;
}

export const run: CommandRun = async (argv, io) => {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  const [sub, ...rest] = positionals;
  if (values.help || !sub) {
    io.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  if (rest.length) throw new UsageError(`unexpected argument '${rest[0]}'`);
  if (sub === 'report') return reportCommand(io, values);
  if (sub === 'export') return exportCommand(io, values);
  throw new UsageError(`unknown subcommand '${sub}'; use report or export`);
};
