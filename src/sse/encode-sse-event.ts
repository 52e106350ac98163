const LINE_BREAK = /\r\n|\r|\n/;

/**
 * Frames one server-sent event. Data containing line breaks becomes several `data:` lines, which a
 * conforming parser joins back with `\n`, so any string round-trips.
 */
export function encodeSseEvent(data: string, event?: string): string {
  const head = event === undefined ? '' : `event: ${event}\n`;
  if (!LINE_BREAK.test(data)) return `${head}data: ${data}\n\n`;
  return `${head}data: ${data.split(LINE_BREAK).join('\ndata: ')}\n\n`;
}
