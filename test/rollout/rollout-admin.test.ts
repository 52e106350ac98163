import { afterEach, describe, expect, it } from 'vitest';
import { rolloutAdmin } from '../../src/rollout/rollout-admin.js';
import type { RolloutSnapshot } from '../../src/rollout/rollout-controller.js';
import type { StoredTransition } from '../../src/rollout/rollout-state.js';
import { GatewayError } from '../../src/spec/gateway-error.js';
import { ROUTE, RolloutHarness, rolloutConfig } from './rollout-harness.js';

const harnesses: RolloutHarness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) {
    await h.close();
    h.remove();
  }
});

async function admin() {
  const h = await new RolloutHarness(rolloutConfig()).open();
  harnesses.push(h);
  const api = rolloutAdmin(h.controller);
  const call = (method: string, path: string) => api.handle(method, new URL(path, 'http://gateway'));
  return { h, call };
}

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GatewayError);
  return err as GatewayError;
}

describe('/admin/rollouts', () => {
  it('lists every rollout with its stage, share and status', async () => {
    const { call } = await admin();
    const answer = await call('GET', '/admin/rollouts');
    expect(answer?.status).toBe(200);
    const { rollouts } = answer!.body as { rollouts: RolloutSnapshot[] };
    expect(rollouts.map((r) => [r.route, r.candidatePercent, r.status, r.stages])).toEqual([
      [ROUTE, 1, 'running', [1, 5, 25, 50, 100]],
    ]);
  });

  it('shows one rollout with its latest transitions', async () => {
    const { call } = await admin();
    await call('POST', `/admin/rollouts/${ROUTE}/advance?reason=ship+it`);
    const answer = await call('GET', `/admin/rollouts/${ROUTE}?limit=1`);
    const body = answer!.body as { rollout: RolloutSnapshot; history: StoredTransition[] };
    expect(body.rollout.candidatePercent).toBe(5);
    expect(body.history.map((t) => [t.kind, t.actor, t.reason])).toEqual([['advance', 'admin', 'ship it']]);
  });

  it('pauses, resumes and rolls back to the previous stage or to zero', async () => {
    const { call } = await admin();
    await call('POST', `/admin/rollouts/${ROUTE}/advance`);
    await call('POST', `/admin/rollouts/${ROUTE}/advance`);
    expect(
      ((await call('POST', `/admin/rollouts/${ROUTE}/pause`))!.body as { rollout: RolloutSnapshot }).rollout
        .status,
    ).toBe('paused');
    await call('POST', `/admin/rollouts/${ROUTE}/resume`);
    const previous = await call('POST', `/admin/rollouts/${ROUTE}/rollback?to=previous`);
    expect((previous!.body as { rollout: RolloutSnapshot }).rollout.candidatePercent).toBe(5);
    await call('POST', `/admin/rollouts/${ROUTE}/resume`);
    const zero = await call('POST', `/admin/rollouts/${ROUTE}/rollback`);
    expect((zero!.body as { rollout: RolloutSnapshot }).rollout).toMatchObject({
      candidatePercent: 0,
      status: 'rolled_back',
    });
  });

  it('answers errors the gateway renders in the OpenAI shape', async () => {
    const { call } = await admin();
    expect(await refusal(call('GET', '/admin/rollouts/billing'))).toMatchObject({
      status: 404,
      code: 'rollout_not_found',
    });
    expect(await refusal(call('POST', `/admin/rollouts/${ROUTE}/rollback?to=yesterday`))).toMatchObject({
      status: 400,
      code: 'invalid_value',
      param: 'to',
    });
    expect(await refusal(call('GET', `/admin/rollouts/${ROUTE}/advance`))).toMatchObject({
      status: 405,
      code: 'method_not_allowed',
      headers: { allow: 'POST' },
    });
    expect(await refusal(call('POST', `/admin/rollouts/${ROUTE}/resume`))).toMatchObject({
      status: 409,
      code: 'rollout_conflict',
    });
    expect(await refusal(call('GET', `/admin/rollouts/${ROUTE}?limit=0`))).toMatchObject({
      status: 400,
      param: 'limit',
    });
  });

  it('leaves other admin paths to other handlers', async () => {
    const { call } = await admin();
    expect(await call('GET', '/admin/backends')).toBeUndefined();
    expect(await call('POST', `/admin/rollouts/${ROUTE}/launch`)).toBeUndefined();
  });
});
