import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/backends.js';
import type { CliIO } from '../../src/cli/cli-io.js';
import { BackendStates } from '../../src/health/backend-states.js';
import { gatewayConfig } from '../routing/fixtures.js';

function io(env: Record<string, string> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const cli: CliIO = {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env,
    cwd: process.cwd(),
    isTTY: false,
    stopSignal: new AbortController().signal,
  };
  return { cli, out: () => out, err: () => err };
}

describe('switchyard backends', () => {
  let server: Server | undefined;
  let authSeen: string | undefined;
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  async function gateway(): Promise<string> {
    const states = new BackendStates(gatewayConfig([]).deployments.values(), {
      breaker: { consecutiveFailures: 1 },
    });
    const a = states.get('llama-a')!;
    a.start();
    a.start();
    a.finish({ ok: true, latencyMs: 812, ttftMs: 95 });
    const t = states.get('together-70b')!;
    t.start();
    t.finish({ ok: false, failureKind: 'connection' });
    a.health = { ok: true, status: 200, latencyMs: 3, checkedAt: 1 };
    a.engine = { queueDepth: 2, kvCacheUsage: 0.634, running: 5, readAt: Date.now() };
    server = createServer((req, res) => {
      authSeen = req.headers.authorization;
      if (req.url !== '/admin/backends') return void res.writeHead(404).end();
      if (req.headers.authorization !== 'Bearer mk-test')
        return void res.writeHead(401, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            error: {
              message: 'Invalid master key',
              type: 'authentication_error',
              code: 'invalid_api_key',
              param: null,
            },
          }),
        );
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(states.snapshot()));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  }

  it('prints a table of every deployment with the master key from the environment', async () => {
    const url = await gateway();
    const t = io({ SWITCHYARD_MASTER_KEY: 'mk-test' });
    expect(await run(['--url', url], t.cli)).toBe(0);
    expect(authSeen).toBe('Bearer mk-test');
    const lines = t.out().trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^DEPLOYMENT\s+LOC\s+BREAKER\s+IN-FLIGHT\s+LATENCY\s+TTFT\s+HEALTH\s+QUEUE\s+KV/,
    );
    expect(lines).toHaveLength(7);
    const llama = lines.find((l) => l.startsWith('llama-a'))!;
    expect(llama.split(/\s{2,}/)).toEqual([
      'llama-a',
      'int',
      'closed',
      '1/4',
      '812ms',
      '95ms',
      'ok',
      '2',
      '63%',
      '2',
      '0',
      '0',
    ]);
    const together = lines.find((l) => l.startsWith('together-70b'))!;
    expect(together).toMatch(/ext\s+open \(1x\)/);
  });

  it('prints the raw JSON with --json', async () => {
    const url = await gateway();
    const t = io({ SWITCHYARD_MASTER_KEY: 'mk-test' });
    expect(await run(['--url', url, '--json'], t.cli)).toBe(0);
    const body = JSON.parse(t.out());
    expect(body.deployments.find((d: { id: string }) => d.id === 'llama-a')).toMatchObject({
      inFlight: 1,
      queueDepth: 2,
    });
  });

  it('explains a rejected or missing master key', async () => {
    const url = await gateway();
    const missing = io();
    expect(await run(['--url', url], missing.cli)).toBe(1);
    expect(missing.err()).toMatch(/answered 401 \(set SWITCHYARD_MASTER_KEY.*\): Invalid master key/);
    const wrong = io({ SWITCHYARD_MASTER_KEY: 'nope' });
    expect(await run(['--url', url], wrong.cli)).toBe(1);
    expect(wrong.err()).toMatch(/SWITCHYARD_MASTER_KEY was rejected/);
  });

  it('says when the gateway cannot be reached', async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const t = io();
    expect(await run(['--url', `http://127.0.0.1:${port}`], t.cli)).toBe(1);
    expect(t.err()).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
  });

  it('prints help and rejects unknown flags', async () => {
    const t = io();
    expect(await run(['--help'], t.cli)).toBe(0);
    expect(t.out()).toMatch(/switchyard backends \[--url URL\] \[--json\]/);
    await expect(run(['--bogus'], io().cli)).rejects.toThrow(/bogus/);
    await expect(run(['--url', 'not a url'], io().cli)).rejects.toThrow(/not a URL/);
  });
});
