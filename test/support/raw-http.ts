/**
 * HTTP/1.1 over a bare TCP socket, for tests of what no well-behaved client sends: malformed request
 * lines and headers, bytes trickled one at a time, connections that never say anything.
 *
 *   const conn = await openConnection(gw.url);
 *   conn.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
 *   const res = await conn.response();        // the first complete response on the connection
 *   await conn.closed;                        // resolves with the time the server closed it
 */
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  /** Lowercased names; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: string;
}

export interface RawConnection {
  socket: Socket;
  /** Every byte the server sent so far, as latin1 text. */
  readonly received: string;
  /** Writes unless the connection is already closed; returns false when it was. */
  write(data: string | Uint8Array): boolean;
  /**
   * Writes `data` one byte every `intervalMs` until all is sent or the server closes the connection;
   * resolves with the number of bytes written.
   */
  trickle(data: string, intervalMs: number): Promise<number>;
  /** The n-th complete response (0-based) received on this connection. */
  response(index?: number): Promise<RawResponse>;
  /** Resolves with `performance.now()` at the moment the server closed (or reset) the connection. */
  readonly closed: Promise<number>;
  readonly isClosed: boolean;
  destroy(): void;
}

/** Opens a TCP connection to the host and port of `url`. */
export function openConnection(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(wrap(socket));
    });
  });
}

function wrap(socket: Socket): RawConnection {
  let received = '';
  let isClosed = false;
  const waiters: Array<() => void> = [];
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  socket.setEncoding('latin1');
  socket.on('data', (text: string) => {
    received += text;
    wake();
  });
  // A reset is a close too; tests assert on when and how the server ended the connection.
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) =>
    socket.once('close', () => {
      isClosed = true;
      resolve(performance.now());
      wake();
    }),
  );

  const conn: RawConnection = {
    socket,
    get received() {
      return received;
    },
    get isClosed() {
      return isClosed;
    },
    closed,
    write(data) {
      if (isClosed || socket.destroyed || !socket.writable) return false;
      socket.write(data);
      return true;
    },
    async trickle(data, intervalMs) {
      let sent = 0;
      for (const byte of Buffer.from(data, 'latin1')) {
        if (!conn.write(Uint8Array.of(byte))) break;
        sent++;
        await Promise.race([sleep(intervalMs), closed]);
      }
      return sent;
    },
    async response(index = 0) {
      for (;;) {
        const parsed = parseResponses(received);
        if (parsed.length > index) return parsed[index];
        if (isClosed)
          throw new Error(`the connection closed after ${parsed.length} response(s); received: ${received}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    destroy() {
      socket.destroy();
    },
  };
  return conn;
}

/** Every complete response in `text` (content-length or chunked framing). */
export function parseResponses(text: string): RawResponse[] {
  const responses: RawResponse[] = [];
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end === -1) return responses;
    const [statusLine, ...lines] = rest.slice(0, end).split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    let body: string;
    let after = end + 4;
    if (headers['transfer-encoding'] === 'chunked') {
      body = '';
      for (;;) {
        const lineEnd = rest.indexOf('\r\n', after);
        if (lineEnd === -1) return responses;
        const size = parseInt(rest.slice(after, lineEnd), 16);
        if (rest.length < lineEnd + 2 + size + 2) return responses;
        body += rest.slice(lineEnd + 2, lineEnd + 2 + size);
        after = lineEnd + 2 + size + 2;
        if (size === 0) break;
      }
    } else {
      const length = Number(headers['content-length'] ?? 0);
      if (rest.length < after + length) return responses;
      body = rest.slice(after, after + length);
      after += length;
    }
    responses.push({ status, headers, body: Buffer.from(body, 'latin1').toString('utf8') });
    rest = rest.slice(after);
  }
}

/** Sends one request on a fresh connection and returns the first response and when the connection closed. */
export async function sendRaw(
  url: string,
  request: string | Uint8Array,
): Promise<{ response: RawResponse; conn: RawConnection }> {
  const conn = await openConnection(url);
  conn.write(request);
  return { response: await conn.response(), conn };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
