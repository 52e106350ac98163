import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake gateway answers: JSON, or SSE text sent in pieces as a streaming server would. */
export type FakeReply = { kind: 'json'; status?: number; body: unknown } | { kind: 'sse'; chunks: string[] };

export interface FakeGateway {
  baseURL: string;
  /** Bodies the SDK sent, parsed. */
  received: unknown[];
  close(): Promise<void>;
}

/**
 * A 127.0.0.1 server on a random port that answers every POST through `reply`, so the official
 * SDKs' own parsers read exactly what the translators produced.
 */
export async function startFakeGateway(reply: (body: unknown) => FakeReply): Promise<FakeGateway> {
  const received: unknown[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (raw += d));
    req.on('end', () => {
      const body: unknown = raw ? JSON.parse(raw) : undefined;
      received.push(body);
      const answer = reply(body);
      if (answer.kind === 'json') {
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const piece of answer.chunks) res.write(piece);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
