import type { Writable } from 'node:stream';
import type { RequestRecord } from '../spec/request-record.js';

/** One JSON object per line, exactly the record's fields. */
export async function writeRecordsJsonl(records: AsyncIterable<RequestRecord>, out: Writable): Promise<void> {
  for await (const record of records) await writeChunk(out, `${JSON.stringify(record)}\n`);
}

type CsvValue = (r: RequestRecord) => string | number | boolean | null;

const iso = (ms: number): string => new Date(ms).toISOString();

/** Column name → value. Times are ISO 8601 UTC so spreadsheets read them; the route stays JSON. */
const CSV_COLUMNS: ReadonlyArray<readonly [string, CsvValue]> = [
  ['id', (r) => r.id],
  ['started_at', (r) => iso(r.startedAt)],
  ['ended_at', (r) => iso(r.endedAt)],
  ['key_id', (r) => r.keyId],
  ['team', (r) => r.team],
  ['workload', (r) => r.workload],
  ['endpoint', (r) => r.endpoint],
  ['model_requested', (r) => r.modelRequested],
  ['deployment_id', (r) => r.deploymentId],
  ['provider', (r) => r.provider],
  ['upstream_model', (r) => r.upstreamModel],
  ['status', (r) => r.status],
  ['error_code', (r) => r.errorCode],
  ['input_tokens', (r) => r.inputTokens],
  ['output_tokens', (r) => r.outputTokens],
  ['cached_tokens', (r) => r.cachedTokens],
  ['reasoning_tokens', (r) => r.reasoningTokens],
  ['usage_estimated', (r) => r.usageEstimated],
  ['latency_ms', (r) => r.latencyMs],
  ['ttft_ms', (r) => r.ttftMs],
  ['streamed', (r) => r.streamed],
  ['truncated', (r) => r.truncated],
  ['finish_reason', (r) => r.finishReason],
  ['cost_usd', (r) => r.costUsd],
  ['baseline_cost_usd', (r) => r.baselineCostUsd],
  ['cost_estimated', (r) => r.costEstimated],
  ['overhead_ms', (r) => r.overheadMs],
  ['route', (r) => (r.route === null ? null : JSON.stringify(r.route))],
  ['request_body', (r) => r.requestBody],
  ['response_body', (r) => r.responseBody],
];

export const CSV_HEADER = CSV_COLUMNS.map(([name]) => name);

/** RFC 4180: a header row, CRLF line ends, and fields quoted when they hold a comma, quote or line break. */
export async function writeRecordsCsv(records: AsyncIterable<RequestRecord>, out: Writable): Promise<void> {
  await writeChunk(out, `${CSV_HEADER.join(',')}\r\n`);
  for await (const record of records) {
    const fields = CSV_COLUMNS.map(([, value]) => csvField(value(record)));
    await writeChunk(out, `${fields.join(',')}\r\n`);
  }
}

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Writes one chunk and, when the stream's buffer is full, waits for it to drain before the next. */
function writeChunk(out: Writable, chunk: string): Promise<void> {
  if (out.errored) return Promise.reject(out.errored);
  if (out.destroyed || out.writableEnded)
    return Promise.reject(new Error('the output stream closed before the export finished'));
  if (out.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (err: Error) => done(err);
    const onClose = () => done(new Error('the output stream closed before the export finished'));
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}
