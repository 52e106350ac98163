/** One server-sent event of an inbound protocol: `event:` is `event`, `data:` is the JSON of `data`. */
export interface ProtocolEvent {
  event: string;
  data: Record<string, unknown>;
}

/** The SSE text of events, as the Responses and Messages APIs frame them (named events, no `[DONE]`). */
export function formatSseEvents(events: readonly ProtocolEvent[]): string {
  let out = '';
  for (const e of events) out += `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
  return out;
}
