/** One dispatched server-sent event. `id` is the last event id seen so far, as the spec defines it. */
export interface SseEvent {
  event?: string;
  data: string;
  id?: string;
}

const LF = 10;

/**
 * Parses a `text/event-stream` body as the WHATWG HTML spec describes (§9.2.6): LF, CR and CRLF line
 * endings, multi-line `data`, comments, a leading BOM, and events or even CRLF pairs split across chunk
 * boundaries. Events are yielded as soon as their blank line arrives; only the current unfinished line
 * is buffered. Stopping the iteration stops the body's iterator too, which releases the socket.
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export async function* parseSse(body: AsyncIterable<Uint8Array>): AsyncIterable<SseEvent> {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: false });
  let pending = '';
  // A chunk ending in CR may be the first half of CRLF; the LF that follows must not end a second line.
  let skipLeadingLf = false;
  let data = '';
  let hasData = false;
  let eventType: string | undefined;
  let lastEventId: string | undefined;

  for await (const chunk of body) {
    let text = decoder.decode(chunk, { stream: true });
    if (skipLeadingLf && text.length > 0) {
      if (text.charCodeAt(0) === LF) text = text.slice(1);
      skipLeadingLf = false;
    }
    if (text.length === 0) continue;
    const buf = pending.length ? pending + text : text;
    const end = buf.length;
    let start = 0;
    // indexOf is native and far faster than a character loop; most streams never send a CR.
    let lf = buf.indexOf('\n');
    let cr = buf.indexOf('\r');
    while (lf !== -1 || cr !== -1) {
      let line: string;
      if (cr === -1 || (lf !== -1 && lf < cr)) {
        line = buf.slice(start, lf);
        start = lf + 1;
      } else {
        line = buf.slice(start, cr);
        if (cr + 1 < end) start = buf.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1;
        else {
          start = cr + 1;
          skipLeadingLf = true;
        }
      }
      if (lf !== -1 && lf < start) lf = buf.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = buf.indexOf('\r', start);

      if (line.length === 0) {
        if (hasData) {
          const ev: SseEvent = { data };
          if (eventType !== undefined) ev.event = eventType;
          if (lastEventId !== undefined) ev.id = lastEventId;
          yield ev;
        }
        data = '';
        hasData = false;
        eventType = undefined;
        continue;
      }
      if (line.charCodeAt(0) === 58 /* ':' comment */) continue;
      const colon = line.indexOf(':');
      let field: string;
      let value: string;
      if (colon === -1) {
        field = line;
        value = '';
      } else {
        field = line.slice(0, colon);
        value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
      }
      switch (field) {
        case 'data':
          data = hasData ? `${data}\n${value}` : value;
          hasData = true;
          break;
        case 'event':
          // An empty event name means the default type, `message`.
          eventType = value === '' ? undefined : value;
          break;
        case 'id':
          if (!value.includes('\0')) lastEventId = value;
          break;
        default:
          // `retry` and unknown fields carry nothing a proxy acts on.
          break;
      }
    }
    pending = start < end ? buf.slice(start) : '';
  }
  // The spec discards an event that was not terminated by a blank line before the stream ended.
}
