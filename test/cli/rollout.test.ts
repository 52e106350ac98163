import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { rolloutAdmin } from '../../src/rollout/rollout-admin.js';
import { GatewayError } from '../../src/spec/gateway-error.js';
import { fakeIO } from '../support/fake-io.js';
import { ROUTE, RolloutHarness, rolloutConfig } from '../rollout/rollout-harness.js';

const MASTER_KEY = 'sk-master-rollout-test';
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

/**
 * The gateway's admin edge around the rollout admin API: the master key is required and errors are
 * rendered in the OpenAI shape, as the gateway renders them.
 */
async function gateway(): Promise<{ url: string; h: RolloutHarness }> {
  const h = await new RolloutHarness(rolloutConfig()).open();
  const api = rolloutAdmin(h.controller);
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.headers.authorization !== `Bearer ${MASTER_KEY}`)
      return send(403, { error: { message: 'Admin endpoints need the master key.', code: 'admin_only' } });
    api
      .handle(req.method ?? 'GET', new URL(req.url ?? '/', 'http://gateway'))
      .then((answer) =>
        answer ? send(answer.status, answer.body) : send(404, { error: { message: 'unknown' } }),
      )
      .catch((err: unknown) =>
        err instanceof GatewayError
          ? send(err.status, err.toBody())
          : send(500, { error: { message: String(err) } }),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(async () => {
    await new Promise((resolve) => server.close(resolve));
    await h.close();
    h.remove();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, h };
}

async function rollout(url: string, ...argv: string[]) {
  const io = fakeIO({ env: { SWITCHYARD_MASTER_KEY: MASTER_KEY } });
  const code = await main(['rollout', ...argv, '--gateway', url], io);
  return { code, out: io.out(), err: io.err() };
}

describe('switchyard rollout', () => {
  it('lists rollouts as a table', async () => {
    const { url } = await gateway();
    const { code, out } = await rollout(url, 'status');
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'ROUTE    BASELINE  CANDIDATE  SHARE  STAGE  STATUS   LAST CHECK  DECISION',
        'support  gpt-4o    llama-70b  1%     1/5    running  -           -',
        '',
      ].join('\n'),
    );
  });

  it('shows one rollout with its gates, what holds it and its history', async () => {
    const { url, h } = await gateway();
    await h.minutes(3, { requests: 200, pairs: 10 });
    const { code, out } = await rollout(url, 'status', ROUTE);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toBe('support: gpt-4o → llama-70b, running at 1%');
    expect(lines[1]).toBe('  stage 1 of 5: 1% → 5% → 25% → 50% → 100%');
    expect(out).toContain(`  stage started 2026-12-01 09:00:00Z; needs 10 min and 40 candidate requests`);
    expect(out).toMatch(
      / {2}last check 2026-12-01 09:03:00Z: hold\n {4}quality +inconclusive +mean difference/,
    );
    expect(out).toMatch(/ {4}held: dwell 3 of 10 min in this stage/);
    expect(out).toMatch(
      /History \(newest first\):\n {2}2026-12-01 09:00:00Z {2}start +0% → 1% +config +rollout starts at 1%/,
    );
  });

  it('advances, pauses, resumes and rolls back by hand, with a reason', async () => {
    const { url, h } = await gateway();
    const advanced = await rollout(url, 'advance', ROUTE, '--reason', 'dashboards look fine');
    expect(advanced.code).toBe(0);
    expect(advanced.out.split('\n')[0]).toBe('support: advance 1% → 5%');
    expect(advanced.out).toContain('admin       dashboards look fine');
    expect((await rollout(url, 'pause', ROUTE)).code).toBe(0);
    expect((await rollout(url, 'resume', ROUTE)).code).toBe(0);
    const back = await rollout(url, 'rollback', ROUTE, '--to', 'previous', '--json');
    expect(JSON.parse(back.out).rollout).toMatchObject({ candidatePercent: 1, status: 'rolled_back' });
    expect((await h.controller.history(ROUTE, 10)).map((t) => t.kind)).toEqual([
      'rollback',
      'resume',
      'pause',
      'advance',
      'start',
    ]);
  });

  it('reports the gateway’s refusal and exits 1', async () => {
    const { url } = await gateway();
    const unknown = await rollout(url, 'advance', 'billing');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toBe(
      "switchyard rollout: POST /admin/rollouts/billing/advance answered 404: Route 'billing' has no rollout; add one under 'rollouts:'.\n",
    );
    const io = fakeIO();
    expect(await main(['rollout', 'status', '--gateway', url], io)).toBe(1);
    expect(io.err()).toMatch(/answered 403 \(set SWITCHYARD_MASTER_KEY to the gateway master key\)/);
  });

  it.each([
    [[], /name a subcommand/],
    [['promote', ROUTE], /unknown subcommand 'promote'/],
    [['advance'], /rollout advance needs the route id/],
    [['rollback', ROUTE, '--to', 'yesterday'], /--to must be 'zero' or 'previous'/],
    [['pause', ROUTE, '--to', 'zero'], /--to applies to rollback only/],
    [['status', '--limit', '5'], /--limit applies to status ROUTE only/],
    [['status', '--colour'], /Unknown option '--colour'/],
  ])('refuses %j as a usage error', async (argv, message) => {
    const io = fakeIO();
    expect(await main(['rollout', ...argv], io)).toBe(2);
    expect(io.err()).toMatch(message);
  });
});
