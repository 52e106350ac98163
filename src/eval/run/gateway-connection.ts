import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { loadConfigFile, type Env } from '../../config/load-config.js';
import { startGateway } from '../../server/start-gateway.js';
import { cataloguePricer, configPricer, type CallPricer } from '../pricing/call-pricer.js';

export interface GatewayConnection {
  /** OpenAI base URL, ending in /v1. */
  baseURL: string;
  apiKey: string;
  pricer: CallPricer;
  /** What reports say about where calls went: `--gateway URL` or `--config FILE`. */
  description: string;
  /** The in-process gateway's data folder (its records price self-hosted calls). */
  recordsDataDir?: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  gatewayUrl?: string;
  apiKey?: string;
  configPath?: string;
  cwd: string;
  env: Env;
  warn?: (message: string) => void;
}

export class GatewayConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayConnectionError';
  }
}

/** `http://host:4000`, `http://host:4000/` and `http://host:4000/v1` all mean the same gateway. */
export function openaiBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new GatewayConnectionError(`--gateway must be a URL such as http://127.0.0.1:4000, got '${url}'`);
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  parsed.pathname = path.endsWith('/v1') ? path : `${path}/v1`;
  return parsed.toString().replace(/\/+$/, '');
}

/** GET /v1/models: a wrong URL or a refused key is said now, before a run is stored. */
async function probeGateway(baseURL: string, apiKey: string): Promise<void> {
  let status: number;
  try {
    const res = await fetch(`${baseURL}/models`, {
      headers: { authorization: `Bearer ${apiKey}` },
      signal: AbortSignal.timeout(10_000),
    });
    status = res.status;
    await res.body?.cancel();
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    throw new GatewayConnectionError(`cannot reach the gateway at ${baseURL}: ${cause}`);
  }
  if (status === 401 || status === 403)
    throw new GatewayConnectionError(`the gateway at ${baseURL} refused the API key (${status})`);
}

/**
 * Where eval calls go: a gateway already running (`--gateway URL`, priced by model name from the
 * catalogue), or one started here from a config file on an ephemeral port of 127.0.0.1 with a
 * throwaway master key (priced with that config's own deployment prices), as `demo` does.
 */
export async function connectGateway(options: ConnectOptions): Promise<GatewayConnection> {
  if (options.gatewayUrl && options.configPath)
    throw new GatewayConnectionError('give either --gateway URL or --config FILE, not both');
  if (options.gatewayUrl) {
    if (!options.apiKey)
      throw new GatewayConnectionError(
        'no API key for the gateway: set SWITCHYARD_API_KEY (or name another variable with --api-key-env)',
      );
    const baseURL = openaiBaseUrl(options.gatewayUrl);
    await probeGateway(baseURL, options.apiKey);
    return {
      baseURL,
      apiKey: options.apiKey,
      pricer: cataloguePricer(),
      description: `--gateway ${options.gatewayUrl}`,
      close: async () => {},
    };
  }
  if (!options.configPath) throw new GatewayConnectionError('give --gateway URL or --config FILE');
  const path = resolve(options.cwd, options.configPath);
  const config = loadConfigFile(path, options.env);
  const masterKey = `sk-eval-${randomBytes(18).toString('base64url')}`;
  const gateway = await startGateway(config, {
    cwd: options.cwd,
    masterKey,
    port: 0,
    host: '127.0.0.1',
    warn: options.warn,
  });
  return {
    baseURL: `${gateway.url}/v1`,
    apiKey: masterKey,
    pricer: configPricer(config, dirname(path)),
    description: `--config ${options.configPath} (gateway started in-process)`,
    recordsDataDir: resolve(options.cwd, config.server.dataDir),
    close: () => gateway.close(),
  };
}
