import type { Deployment } from '../../spec/deployment.js';

const byConfigured = new WeakMap<Deployment, Map<string, Deployment>>();
/** Model names remembered per passthrough deployment; a client can name any number of them. */
const MODELS_KEPT = 1000;

/** Whether a deployment serves whatever model the client names (`serve --upstream`). */
export const isPassthrough = (deployment: Deployment): boolean => deployment.model === 'passthrough';

/**
 * The passthrough deployment serving one model name. The same object is returned for a name while
 * it is remembered, so what adapters cache per deployment (URLs, headers) is computed once per
 * model, not per request; the memory is bounded however many names clients send.
 */
export function passthroughDeployment(configured: Deployment, model: string): Deployment {
  let byModel = byConfigured.get(configured);
  if (!byModel) byConfigured.set(configured, (byModel = new Map()));
  let deployment = byModel.get(model);
  if (!deployment) {
    if (byModel.size >= MODELS_KEPT) byModel.clear();
    deployment = { ...configured, model };
    byModel.set(model, deployment);
  }
  return deployment;
}
