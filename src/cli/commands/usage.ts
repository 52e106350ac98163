import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CommandRun } from '../cli-io.js';
import { UsageError } from '../cli-io.js';
import { createRecordStore } from '../../records/sqlite-record-store.js';
import { databasePath } from '../../storage/open-sqlite-database.js';
import { resolveDataDir } from '../../storage/resolve-data-dir.js';
import { aggregateUsage, USAGE_GROUP_KEYS, type UsageGroupKey } from '../../usage/aggregate-usage.js';
import { formatUsageCsv, formatUsageJson, formatUsageTable } from '../../usage/format-usage.js';

const HELP = `switchyard usage [--from ISO] [--to ISO] [--group-by KEYS] [--json | --csv]

Spend, what the incumbent model would have charged (baseline), savings, errors and latency of the
recorded requests, grouped.

Options:
  --from ISO         first request time included, e.g. 2026-11-01 or 2026-11-01T09:00Z
  --to ISO           requests before this time (exclusive)
  --group-by KEYS    comma-separated: ${USAGE_GROUP_KEYS.join(', ')} (default: workload,model)
  --json             print JSON
  --csv              print CSV
  --data-dir D       folder holding switchyard.db (default: .switchyard)
  --config FILE      take the folder from the config's server.dataDir
  -h, --help         show this help

Costs are summed over requests with a known price; 'unpriced' counts successful requests whose
price is unknown. Savings compare cost and baseline over requests where both are known.
`;

function parseTime(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UsageError(`${flag}: '${text}' is not an ISO date or time`);
  return ms;
}

function parseGroupBy(text: string): UsageGroupKey[] {
  const keys = text
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  for (const k of keys)
    if (!(USAGE_GROUP_KEYS as readonly string[]).includes(k))
      throw new UsageError(`--group-by: unknown key '${k}'; use ${USAGE_GROUP_KEYS.join(', ')}`);
  return keys as UsageGroupKey[];
}

export const run: CommandRun = async (argv, io) => {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        'group-by': { type: 'string', default: 'workload,model' },
        json: { type: 'boolean', default: false },
        csv: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (values.json && values.csv) throw new UsageError('choose one of --json and --csv');
  const fromMs = parseTime('--from', values.from);
  const toMs = parseTime('--to', values.to);
  if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs)
    throw new UsageError('--to must be after --from');
  const groupBy = parseGroupBy(values['group-by']);

  const dataDir = resolveDataDir({ dataDir: values['data-dir'], configPath: values.config, cwd: io.cwd });
  if (!existsSync(databasePath(dataDir))) {
    io.stderr.write(
      `switchyard usage: no database at ${databasePath(dataDir)}; run the gateway first, or pass --data-dir or --config\n`,
    );
    return 1;
  }
  const store = createRecordStore({ dataDir, batchIntervalMs: 1000, batchSize: 1000 });
  try {
    const report = await aggregateUsage(store.iterate({ fromMs, toMs }), { groupBy });
    const text = values.json
      ? formatUsageJson(report)
      : values.csv
        ? formatUsageCsv(report)
        : report.rows.length
          ? formatUsageTable(report)
          : 'No requests in this range.\n';
    io.stdout.write(text);
  } finally {
    await store.close();
  }
  return 0;
};
