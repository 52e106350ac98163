import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPost {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeCollector {
  url: string;
  posts: ReceivedPost[];
  /** Status the next posts are answered with. */
  status: number;
  /** Resolves with the next post received. */
  nextPost(): Promise<ReceivedPost>;
  close(): Promise<void>;
}

/** An OTLP/HTTP collector on a random local port that keeps what it receives. */
export async function startFakeCollector(): Promise<FakeCollector> {
  const posts: ReceivedPost[] = [];
  let waiters: Array<(post: ReceivedPost) => void> = [];
  const collector: FakeCollector = {
    url: '',
    posts,
    status: 200,
    nextPost: () => new Promise((resolve) => waiters.push(resolve)),
    close: () => closeServer(server),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const post = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      posts.push(post);
      const waiting = waiters;
      waiters = [];
      for (const resolve of waiting) resolve(post);
      res.writeHead(collector.status, { 'content-type': 'application/json' });
      res.end(collector.status === 200 ? '{}' : '{"code":13,"message":"collector exploded"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  collector.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return collector;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
