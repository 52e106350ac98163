import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CSV_HEADER, writeRecordsCsv, writeRecordsJsonl } from '../../src/records/export-records.js';
import type { RequestRecord } from '../../src/spec/request-record.js';
import { makeRecord } from './make-record.js';

async function* from(records: RequestRecord[]): AsyncIterable<RequestRecord> {
  for (const r of records) yield r;
}

async function collect(write: (out: PassThrough) => Promise<void>): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await write(out);
  return Buffer.concat(chunks).toString('utf8');
}

/** A strict RFC 4180 reader, so the test checks what a spreadsheet would read back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i++;
      } else {
        field += ch;
        i++;
      }
    } else if (ch === '"') {
      if (field !== '') throw new Error(`stray quote at ${i}`);
      quoted = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else if (ch === '\n' || ch === '\r') {
      throw new Error(`bare line break outside quotes at ${i}`);
    } else {
      field += ch;
      i++;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || row.length) throw new Error('last row lacks CRLF');
  return rows;
}

describe('writeRecordsJsonl', () => {
  it('writes one parsable record per line', async () => {
    const records = [makeRecord(), makeRecord({ workload: 'line\nbreak', route: null })];
    const text = await collect((out) => writeRecordsJsonl(from(records), out));
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => JSON.parse(l) as RequestRecord)).toEqual(records);
  });
});

describe('writeRecordsCsv', () => {
  it('writes a snake_case header', async () => {
    const text = await collect((out) => writeRecordsCsv(from([]), out));
    expect(text).toBe(`${CSV_HEADER.join(',')}\r\n`);
    expect(CSV_HEADER).toEqual(
      expect.arrayContaining([
        'id',
        'started_at',
        'model_requested',
        'deployment_id',
        'input_tokens',
        'ttft_ms',
        'route',
      ]),
    );
  });

  it('quotes commas, quotes and line breaks so every field reads back intact', async () => {
    const tricky = makeRecord({
      workload: 'support, tier "1"',
      team: 'a\r\nb',
      requestBody: '{"messages":[{"role":"user","content":"hi,\\n \\"there\\""}]}\nsecond line',
      errorCode: null,
    });
    const text = await collect((out) => writeRecordsCsv(from([tricky, makeRecord()]), out));
    const [header, first, second] = parseCsv(text);
    const col = (name: string) => header.indexOf(name);
    expect(first).toHaveLength(header.length);
    expect(second).toHaveLength(header.length);
    expect(first[col('workload')]).toBe('support, tier "1"');
    expect(first[col('team')]).toBe('a\r\nb');
    expect(first[col('request_body')]).toBe(tricky.requestBody);
    expect(first[col('error_code')]).toBe('');
    expect(first[col('started_at')]).toBe(new Date(tricky.startedAt).toISOString());
    expect(first[col('streamed')]).toBe('true');
    expect(first[col('input_tokens')]).toBe('12');
    expect(JSON.parse(first[col('route')])).toEqual(tricky.route);
  });

  it('waits for a slow destination instead of buffering the whole export', async () => {
    let produced = 0;
    async function* many(): AsyncIterable<RequestRecord> {
      for (let i = 0; i < 500; i++) {
        produced++;
        yield makeRecord();
      }
    }
    const pendingCallbacks: Array<() => void> = [];
    let received = '';
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, callback) {
        received += chunk.toString('utf8');
        pendingCallbacks.push(() => callback());
      },
    });
    const done = writeRecordsCsv(many(), slow);
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(produced).toBeLessThan(10);

    while (pendingCallbacks.length || produced < 500) {
      pendingCallbacks.splice(0).forEach((cb) => cb());
      await new Promise((r) => setImmediate(r));
    }
    await done;
    expect(parseCsv(received)).toHaveLength(501);
  });
});
