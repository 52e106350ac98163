import { describe, expect, it } from 'vitest';
import { parseSse, type SseEvent } from '../../src/sse/parse-sse.js';
import { encodeSseEvent } from '../../src/sse/encode-sse-event.js';
import { readFixture, sseChunks } from '../support/recorded-upstream.js';

const encoder = new TextEncoder();

async function* bytes(chunks: Array<string | Uint8Array>): AsyncIterable<Uint8Array> {
  for (const c of chunks) yield typeof c === 'string' ? encoder.encode(c) : c;
}

async function collect(chunks: Array<string | Uint8Array>): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const ev of parseSse(bytes(chunks))) out.push(ev);
  return out;
}

/** Every way of cutting `text` into two pieces, plus one byte at a time. */
function splits(text: string): Array<Uint8Array[]> {
  const all = encoder.encode(text);
  const ways: Array<Uint8Array[]> = [];
  for (let i = 0; i <= all.length; i++) ways.push([all.slice(0, i), all.slice(i)]);
  ways.push([...all].map((b) => Uint8Array.of(b)));
  return ways;
}

describe('parseSse', () => {
  it('reads data, event and id fields and joins multi-line data with \\n', async () => {
    const events = await collect(['event: update\nid: 7\ndata: first\ndata: second\n\ndata: next\n\n']);
    expect(events).toEqual([
      { event: 'update', id: '7', data: 'first\nsecond' },
      { id: '7', data: 'next' },
    ]);
  });

  it('accepts LF, CRLF and CR line endings, mixed in one stream', async () => {
    const events = await collect(['data: a\r\n\r\ndata: b\r\rdata: c\n\ndata: d\r\ndata: e\n\r\n']);
    expect(events.map((e) => e.data)).toEqual(['a', 'b', 'c', 'd\ne']);
  });

  it('yields the same events however the bytes are cut, CRLF pairs and UTF-8 characters included', async () => {
    const text =
      'event: delta\r\ndata: {"text":"héllo 🌍"}\r\n\r\n: keep-alive\r\ndata: two\r\rdata: three\n\n';
    const expected = [{ event: 'delta', data: '{"text":"héllo 🌍"}' }, { data: 'two' }, { data: 'three' }];
    for (const chunks of splits(text)) expect(await collect(chunks)).toEqual(expected);
  });

  it('skips comments and ignores retry and unknown fields', async () => {
    const events = await collect([': this is a comment\nretry: 1000\nfoo: bar\ndata: x\n\n:\n\n']);
    expect(events).toEqual([{ data: 'x' }]);
  });

  it('takes the value after one optional space only, and a line without a colon as an empty field', async () => {
    const events = await collect(['data:no-space\n\ndata:  two spaces\n\ndata\n\n']);
    expect(events.map((e) => e.data)).toEqual(['no-space', ' two spaces', '']);
  });

  it('does not dispatch blocks without data, nor an event the stream cut off', async () => {
    const events = await collect(['event: lonely\n\nid: 3\n\ndata: kept\n\ndata: unterminated\n']);
    expect(events).toEqual([{ id: '3', data: 'kept' }]);
  });

  it('treats an empty event name as the default type and strips a leading BOM', async () => {
    const events = await collect(['\uFEFFevent:\ndata: x\n\n']);
    expect(events).toEqual([{ data: 'x' }]);
  });

  it('yields each event before the rest of the body has arrived', async () => {
    let sentSecond = false;
    async function* slow(): AsyncIterable<Uint8Array> {
      yield encoder.encode('data: one\n\n');
      sentSecond = true;
      yield encoder.encode('data: two\n\n');
    }
    const it = parseSse(slow())[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.value).toEqual({ data: 'one' });
    expect(sentSecond).toBe(false);
  });

  it('stops reading the body when the consumer stops', async () => {
    let finished = false;
    async function* body(): AsyncIterable<Uint8Array> {
      try {
        for (let i = 0; i < 100; i++) yield encoder.encode(`data: ${i}\n\n`);
      } finally {
        finished = true;
      }
    }
    for await (const ev of parseSse(body())) if (ev.data === '2') break;
    expect(finished).toBe(true);
  });

  it('reads the recorded Anthropic stream event by event, even cut every 7 bytes', async () => {
    const text = readFixture('anthropic/stream-tool-use.sse');
    const whole = await collect(sseChunks(text) as string[]);
    const cut = await collect(sseChunks(text, { everyBytes: 7 }) as Uint8Array[]);
    expect(cut).toEqual(whole);
    expect(whole[0].event).toBe('message_start');
    expect(whole.at(-1)).toEqual({ event: 'message_stop', data: '{"type": "message_stop"}' });
    expect(whole.filter((e) => e.event === 'content_block_delta')).toHaveLength(22);
  });
});

describe('encodeSseEvent', () => {
  it('frames data with an optional event name', () => {
    expect(encodeSseEvent('{"a":1}')).toBe('data: {"a":1}\n\n');
    expect(encodeSseEvent('{"a":1}', 'message_start')).toBe('event: message_start\ndata: {"a":1}\n\n');
  });

  it('round-trips any line breaks through the parser', async () => {
    const data = 'line one\nline two\r\nline three\rend';
    const events = await collect([encodeSseEvent(data, 'x')]);
    expect(events).toEqual([{ event: 'x', data: 'line one\nline two\nline three\nend' }]);
  });
});
