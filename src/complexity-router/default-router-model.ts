import { fileURLToPath } from 'node:url';
import { loadRouterModel, type RouterModel } from './router-model.js';

/**
 * The router shipped in `data/router/`. This file sits two levels below the package root both as
 * source (src/complexity-router/) and compiled (dist/complexity-router/), so one relative URL serves both.
 */
export const DEFAULT_ROUTER_MODEL_PATH = fileURLToPath(
  new URL('../../data/router/default-router.json', import.meta.url),
);

let cached: RouterModel | undefined;

/** Loads the shipped default router once and returns the same model afterwards. */
export function defaultRouterModel(): RouterModel {
  cached ??= loadRouterModel(DEFAULT_ROUTER_MODEL_PATH);
  return cached;
}
