import { createWriteStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { writeRecordsCsv, writeRecordsJsonl } from '../../records/export-records.js';
import { formatRecordLine, recordTableHeader } from '../../records/format-record-line.js';
import { SqliteRecordStore } from '../../records/sqlite-record-store.js';
import type { RequestRecord, StoredRecord } from '../../spec/request-record.js';
import { databasePath, openSqliteDatabase } from '../../storage/open-sqlite-database.js';
import { resolveDataDir } from '../../storage/resolve-data-dir.js';
import { UsageError, type CliIO, type CommandRun } from '../cli-io.js';

const HELP = `switchyard records tail [-n N] [-f] [--json]           the last N requests (default 20); -f keeps printing new ones
switchyard records export [--format jsonl|csv] [--from ISO] [--to ISO] [--out FILE]
                                                       every record in the range, oldest first (stdout by default)

Options:
  --workload W       only this workload
  --model M          only requests that asked for this model
  --data-dir D       folder holding switchyard.db (default: .switchyard)
  --config FILE      take the folder from the config's server.dataDir
  --interval-ms N    how often -f looks for new records (default 500)
`;

const FOLLOW_PAGE = 1000;

export const run: CommandRun = async (argv, io) => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      n: { type: 'string', short: 'n' },
      follow: { type: 'boolean', short: 'f' },
      json: { type: 'boolean' },
      format: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string', short: 'o' },
      workload: { type: 'string' },
      model: { type: 'string' },
      'data-dir': { type: 'string' },
      config: { type: 'string' },
      'interval-ms': { type: 'string' },
    },
  });
  const [sub, ...rest] = positionals;
  if (values.help || !sub) {
    io.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  if (sub !== 'tail' && sub !== 'export') throw new UsageError(`unknown subcommand '${sub}'`);
  if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);

  const filter = { workload: values.workload, model: values.model };
  const tail =
    sub === 'tail'
      ? {
          count: parseCount(values.n ?? '20', '-n'),
          intervalMs: parseCount(values['interval-ms'] ?? '500', '--interval-ms'),
        }
      : undefined;
  const format = values.format ?? 'jsonl';
  if (format !== 'jsonl' && format !== 'csv')
    throw new UsageError(`--format must be jsonl or csv, not '${format}'`);
  const range = { fromMs: parseTime(values.from, '--from'), toMs: parseTime(values.to, '--to') };

  const dataDir = resolveDataDir({ dataDir: values['data-dir'], configPath: values.config, cwd: io.cwd });
  if (!existsSync(databasePath(dataDir))) {
    io.stderr.write(
      `switchyard records: no database at ${databasePath(dataDir)}; run the gateway first, or pass --data-dir or --config\n`,
    );
    return 1;
  }
  // A reader that goes away (`| head`) ends the command quietly, as with any Unix filter, instead
  // of crashing it: the writers below notice the error through `stdout.errored`.
  const ignoreOutputError = () => undefined;
  io.stdout.on('error', ignoreOutputError);
  const store = new SqliteRecordStore({
    db: openSqliteDatabase(dataDir),
    batchIntervalMs: 1000,
    batchSize: 1000,
    ownsDatabase: true,
  });
  try {
    if (tail) {
      await tailRecords(store, io, {
        ...filter,
        ...tail,
        follow: values.follow ?? false,
        json: values.json ?? false,
      });
      return 0;
    }
    const records = store.iterate({ ...filter, ...range });
    const write = format === 'csv' ? writeRecordsCsv : writeRecordsJsonl;
    if (values.out === undefined) {
      await write(records, io.stdout);
      await written(io.stdout);
      return 0;
    }
    const path = resolve(io.cwd, values.out);
    const file = createWriteStream(path);
    const counted = countRecords(records);
    await write(counted.records, file);
    file.end();
    await finished(file);
    io.stderr.write(`Exported ${counted.count()} records to ${path}\n`);
    return 0;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'EPIPE') return 0;
    throw err;
  } finally {
    io.stdout.off('error', ignoreOutputError);
    await store.close();
  }
};

interface TailOptions {
  count: number;
  follow: boolean;
  json: boolean;
  intervalMs: number;
  workload?: string;
  model?: string;
}

async function tailRecords(store: SqliteRecordStore, io: CliIO, opts: TailOptions): Promise<void> {
  const filter = { workload: opts.workload, model: opts.model };
  const print = async (records: RequestRecord[]) => {
    const lines = records.map((r) => (opts.json ? JSON.stringify(r) : formatRecordLine(r)));
    if (lines.length > 0) io.stdout.write(`${lines.join('\n')}\n`);
    await written(io.stdout);
  };
  const latest =
    opts.count > 0 ? (await store.query({ ...filter, order: 'desc', limit: opts.count })).reverse() : [];
  if (!opts.json && (latest.length > 0 || opts.follow)) io.stdout.write(`${recordTableHeader()}\n`);
  await print(latest);
  if (!opts.follow) {
    if (latest.length === 0 && !opts.json) io.stdout.write('No records yet.\n');
    return;
  }
  // Resume after the newest record of any kind, not only matching ones, so nothing older reappears.
  let lastSeq = (await store.query({ order: 'desc', limit: 1 }))[0]?.seq ?? 0;
  while (!io.stopSignal.aborted && !io.stdout.errored) {
    try {
      await sleep(opts.intervalMs, undefined, { signal: io.stopSignal });
    } catch {
      return;
    }
    let page: StoredRecord[];
    do {
      page = await store.query({ ...filter, afterSeq: lastSeq, limit: FOLLOW_PAGE });
      await print(page);
      if (page.length > 0) lastSeq = page[page.length - 1].seq;
    } while (page.length === FOLLOW_PAGE && !io.stopSignal.aborted);
  }
}

/**
 * Resolves once everything written so far has left the stream (or failed to), so a closed pipe is
 * reported while this command still listens for it.
 */
function written(out: Writable): Promise<void> {
  return new Promise((resolve) => out.write('', () => resolve()));
}

function countRecords(records: AsyncIterable<RequestRecord>): {
  records: AsyncIterable<RequestRecord>;
  count: () => number;
} {
  let n = 0;
  async function* counting() {
    for await (const record of records) {
      n += 1;
      yield record;
    }
  }
  return { records: counting(), count: () => n };
}

function parseCount(text: string, flag: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} must be a whole number, not '${text}'`);
  return Number(text);
}

function parseTime(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new UsageError(
      `${flag} must be an ISO 8601 date or time (e.g. 2026-11-01 or 2026-11-01T09:00:00Z)`,
    );
  return ms;
}
