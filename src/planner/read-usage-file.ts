import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { missingColumns, parseMappedRow, type ColumnMap } from './parse-mapped-csv.js';
import { readRecordDatabase } from './read-record-database.js';
import { parseSwitchyardRecord } from './parse-switchyard-record.js';
import { implausibility } from './check-usage-row.js';
import { parseOpenAiCostCsvRow, parseOpenAiCostResult } from './parse-vendor-costs.js';
import { parseAnthropicResult, parseOpenAiCsvRow, parseOpenAiResult } from './parse-vendor-usage.js';
import { readCsvRecords, readLines, type ProgressFn } from './read-lines.js';
import type { UsageFormat, UsageItem, UsageRow } from './usage-row.js';
import { readTime } from './usage-values.js';

/**
 * Vendor usage API responses are pages of at most a few hundred buckets, so they are read whole;
 * anything larger is refused rather than risking the process's memory.
 */
export const MAX_JSON_DOCUMENT_BYTES = 256 * 1024 * 1024;
const DAY_MS = 86_400_000;

export interface ReadUsageOptions {
  format?: UsageFormat;
  columnMap?: ColumnMap;
  onProgress?: ProgressFn;
}

/** Guesses the format from the file name and its first bytes. */
export async function detectUsageFormat(file: string, columnMap?: ColumnMap): Promise<UsageFormat> {
  const fh = await open(file, 'r');
  let head: string;
  try {
    const buf = Buffer.alloc(8192);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    head = buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
  if (head.startsWith('SQLite format 3')) return 'switchyard-sqlite';
  const trimmed = head.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    if (/"organization\.costs\.result"/.test(head)) return 'openai-costs-json';
    if (/"uncached_input_tokens"|"cache_read_input_tokens"|"starting_at"/.test(head))
      return 'anthropic-usage-json';
    if (/organization\.usage\.completions\.result|"object"\s*:\s*"page"|"object"\s*:\s*"bucket"/.test(head))
      return 'openai-usage-json';
    if (/"started_?[aA]t"/.test(head)) return 'switchyard-jsonl';
    throw new Error(
      `${file}: JSON that is neither Switchyard records, an OpenAI usage page nor an Anthropic usage report`,
    );
  }
  if (columnMap) return 'csv-mapped';
  const header = head
    .split(/\r?\n/, 1)[0]
    .split(',')
    .map((h) => h.trim().replace(/^"|"$/g, ''));
  if (header.includes('started_at') && header.includes('model_requested')) return 'switchyard-csv';
  if (header.includes('amount_value')) return 'openai-costs-csv';
  if (header.includes('num_model_requests') || header.includes('n_context_tokens_total'))
    return 'openai-usage-csv';
  throw new Error(
    `${file}: CSV with unrecognised columns (${header.slice(0, 8).join(', ')}); describe them with --map date=COL,model=COL,input_tokens=COL,output_tokens=COL`,
  );
}

/**
 * Every row of a usage file, in file order, or a problem naming the file and line; empty buckets
 * (the export covers that time, nothing was used) and, from cost exports, what was billed. Rows that
 * parse but cannot be real usage are problems too. Line-oriented formats stream in constant memory;
 * JSON documents up to MAX_JSON_DOCUMENT_BYTES are read whole.
 */
export async function* readUsageFile(file: string, opts: ReadUsageOptions = {}): AsyncGenerator<UsageItem> {
  const format = opts.format ?? (await detectUsageFormat(file, opts.columnMap));
  const name = basename(file);
  const problem = (where: string | number, message: string): UsageItem => ({
    problem: { file: name, where: String(where), message },
  });
  const checked = (where: string | number, row: UsageRow): UsageItem => {
    const why = implausibility(row);
    return why ? problem(where, why) : { row };
  };

  if (format === 'switchyard-sqlite') {
    const size = (await stat(file)).size;
    yield* readRecordDatabase(file, name);
    opts.onProgress?.(size, size);
    return;
  }

  if (format === 'switchyard-jsonl') {
    for await (const { line, n } of readLines(file, opts.onProgress)) {
      if (line.trim() === '') continue;
      try {
        const obj: unknown = JSON.parse(line);
        if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new Error('not a JSON object');
        yield checked(n, parseSwitchyardRecord(obj as Record<string, unknown>));
      } catch (err) {
        yield problem(n, (err as Error).message);
      }
    }
    return;
  }

  if (format === 'openai-usage-json' || format === 'anthropic-usage-json' || format === 'openai-costs-json') {
    const size = (await stat(file)).size;
    if (size > MAX_JSON_DOCUMENT_BYTES)
      throw new Error(
        `${file}: ${size} bytes is more than one usage page; export it as JSONL, one page per line`,
      );
    const text = await readFile(file, 'utf8');
    opts.onProgress?.(size, size);
    // One page, an array of pages, or one page per line.
    let pages: unknown[];
    try {
      const doc: unknown = JSON.parse(text);
      pages = Array.isArray(doc) ? doc : [doc];
    } catch {
      pages = [];
      let n = 0;
      for (const line of text.split('\n')) {
        n++;
        if (line.trim() === '') continue;
        try {
          pages.push(JSON.parse(line));
        } catch (err) {
          yield problem(n, `not JSON: ${(err as Error).message}`);
        }
      }
    }
    const anthropic = format === 'anthropic-usage-json';
    for (const [p, page] of pages.entries()) {
      const data = (page as { data?: unknown }).data;
      if (!Array.isArray(data)) {
        yield problem(`page ${p + 1}`, 'no data array');
        continue;
      }
      for (const [b, bucket] of data.entries()) {
        const where = `page ${p + 1} data[${b}]`;
        const bk = bucket as Record<string, unknown>;
        let span: { startMs: number; endMs: number };
        try {
          const start = anthropic ? bk.starting_at : bk.start_time;
          const end = anthropic ? bk.ending_at : bk.end_time;
          const startMs = readTime(start, anthropic ? 'starting_at' : 'start_time');
          span = {
            startMs,
            endMs: end ? readTime(end, anthropic ? 'ending_at' : 'end_time') : startMs + DAY_MS,
          };
        } catch (err) {
          yield problem(where, (err as Error).message);
          continue;
        }
        const results = Array.isArray(bk.results) ? bk.results : [];
        // A bucket with no results still says the export covers that time.
        if (results.length === 0)
          yield format === 'openai-costs-json'
            ? { billed: { ...span, amountUsd: 0, lineItem: null, project: null } }
            : { empty: span };
        for (const [i, result] of results.entries()) {
          const at = `${where}.results[${i}]`;
          try {
            const r = result as Record<string, unknown>;
            if (format === 'openai-costs-json') yield { billed: parseOpenAiCostResult(r, span) };
            else yield checked(at, anthropic ? parseAnthropicResult(r, span) : parseOpenAiResult(r, span));
          } catch (err) {
            yield problem(at, (err as Error).message);
          }
        }
      }
    }
    return;
  }

  let header: string[] | undefined;
  for await (const rec of readCsvRecords(file, opts.onProgress)) {
    if ('error' in rec) {
      yield problem(rec.n, rec.error);
      continue;
    }
    if (!header) {
      header = rec.fields.map((h) => h.trim());
      if (format === 'csv-mapped' && opts.columnMap) {
        const missing = missingColumns(opts.columnMap, header);
        if (missing.length)
          throw new Error(`${file}: the column map names columns the file lacks: ${missing.join(', ')}`);
      }
      continue;
    }
    if (rec.fields.length !== header.length) {
      yield problem(rec.n, `${rec.fields.length} fields where the header has ${header.length}`);
      continue;
    }
    const obj: Record<string, string> = {};
    header.forEach((h, i) => (obj[h] = rec.fields[i]));
    try {
      if (format === 'switchyard-csv') yield checked(rec.n, parseSwitchyardRecord(obj));
      else if (format === 'openai-usage-csv') {
        const parsed = parseOpenAiCsvRow(obj);
        yield 'row' in parsed
          ? checked(rec.n, parsed.row)
          : {
              empty: {
                startMs: parsed.empty.startMs,
                endMs: parsed.empty.endMs ?? parsed.empty.startMs + DAY_MS,
              },
            };
      } else if (format === 'openai-costs-csv') yield { billed: parseOpenAiCostCsvRow(obj) };
      else if (opts.columnMap) yield checked(rec.n, parseMappedRow(obj, opts.columnMap));
    } catch (err) {
      yield problem(rec.n, (err as Error).message);
    }
  }
}
