import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Exchange } from './exchange.js';
import { buildRoutes, getModel, type RouteHandler } from './build-routes.js';
import { SimError, badRequest } from './sim-error.js';
import {
  resolveBehaviour,
  resolveListen,
  type SimulatorBehaviour,
  type SimulatorBehaviourInput,
  type SimulatorOptionsInput,
} from './simulator-options.js';
import { SimulatorState } from './simulator-state.js';
import type { SimulatorStats } from './simulator-stats.js';

export interface Simulator {
  /** Base URL including the version prefix, e.g. http://127.0.0.1:41234/v1. */
  readonly url: string;
  /** The same without /v1, which the Anthropic SDK wants as its baseURL. */
  readonly origin: string;
  readonly port: number;
  readonly stats: SimulatorStats;
  /** Behaviour in force (validated, defaults applied). */
  readonly behaviour: SimulatorBehaviour;
  /** Changes behaviour from now on; requests already running keep the behaviour they started with. */
  setBehaviour(change: SimulatorBehaviourInput): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;

function readBody(ex: Exchange, run: () => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const req = ex.req;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      req.removeAllListeners('data');
      req.resume();
      ex.fail(
        new SimError({
          status: 413,
          type: 'invalid_request_error',
          code: 'request_too_large',
          message: 'Request body too large.',
        }),
      );
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > MAX_BODY_BYTES) return;
    const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
    if (text.length) {
      try {
        ex.body = JSON.parse(text);
      } catch {
        return ex.fail(
          badRequest(
            "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)",
          ),
        );
      }
    }
    run();
  });
}

function authorised(ex: Exchange, apiKey: string): boolean {
  const h = ex.req.headers;
  return h.authorization === `Bearer ${apiKey}` || h['x-api-key'] === apiKey || h['api-key'] === apiKey;
}

function runHandler(ex: Exchange, handler: RouteHandler): void {
  try {
    const done = handler(ex);
    if (done) done.catch((err: unknown) => fail(ex, err));
  } catch (err) {
    fail(ex, err);
  }
}

function fail(ex: Exchange, err: unknown): void {
  if (err instanceof SimError) return ex.fail(err);
  ex.fail(
    new SimError({
      status: 500,
      type: 'server_error',
      message: `simulator error: ${(err as Error).message}`,
    }),
  );
}

function notFound(ex: Exchange): SimError {
  return new SimError({
    status: 404,
    type: 'invalid_request_error',
    code: 'unknown_url',
    message: `Unknown request URL: ${ex.req.method} ${ex.path}.`,
  });
}

/**
 * Starts a simulated LLM server. It speaks the OpenAI protocol (or Anthropic's), poses as vLLM,
 * OpenAI, TGI or Ollama, paces tokens like a GPU with limited capacity and fails on demand. All
 * output is labelled simulated.
 */
export async function startSimulator(options: SimulatorOptionsInput = {}): Promise<Simulator> {
  const { host, port, ...behaviourInput } = options;
  const listen = resolveListen({ host, port });
  let input: SimulatorBehaviourInput = behaviourInput;
  const state = new SimulatorState(resolveBehaviour(input));
  let routes = buildRoutes(state.behaviour);

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const ex = new Exchange(state, req, res, path);
    const apiKey = ex.behaviour.apiKey;
    if (apiKey !== undefined && path !== '/health' && !authorised(ex, apiKey)) {
      req.resume();
      return ex.fail(
        new SimError({
          status: 401,
          type: 'invalid_request_error',
          code: 'invalid_api_key',
          message: 'Incorrect API key provided.',
        }),
      );
    }
    let handler = routes.get(`${req.method} ${path}`);
    if (!handler && req.method === 'GET' && path.startsWith('/v1/models/')) {
      const id = decodeURIComponent(path.slice('/v1/models/'.length));
      handler = (e) => getModel(e, id);
    }
    if (!handler) {
      req.resume();
      return ex.fail(notFound(ex));
    }
    const h = handler;
    if (req.method === 'POST') readBody(ex, () => runHandler(ex, h));
    else {
      req.resume();
      runHandler(ex, h);
    }
  };

  const server = createServer({ keepAliveTimeout: 65_000 }, onRequest);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${hostForUrl}:${address.port}`;

  return {
    url: `${origin}/v1`,
    origin,
    port: address.port,
    stats: state.stats,
    get behaviour() {
      return state.behaviour;
    },
    setBehaviour(change) {
      const next = { ...input, ...change };
      state.setBehaviour(resolveBehaviour(next));
      input = next;
      routes = buildRoutes(state.behaviour);
    },
    close() {
      state.closing = true;
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
