import type { VendorQuirks } from '../../config/schema/vendor-schema.js';
import type { Deployment } from '../../spec/deployment.js';
import type { UpstreamTarget } from '../upstream-client.js';

export interface OpenAITargets {
  chat: UpstreamTarget;
  completions: UpstreamTarget;
  embeddings: UpstreamTarget;
  models: UpstreamTarget;
}

/**
 * URLs and fixed headers of one deployment. Azure OpenAI addresses a deployment by URL and needs the
 * api-version query: `{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=...`
 * (https://learn.microsoft.com/azure/ai-services/openai/reference); everyone else appends the
 * OpenAI path to a base URL that already holds the version prefix (`http://vllm:8000/v1`).
 */
export function resolveOpenAITargets(deployment: Deployment, quirks: VendorQuirks): OpenAITargets {
  const headers = fixedHeaders(deployment, quirks);
  const base = new URL(deployment.baseUrl);
  const origin = base.origin;
  const basePath = base.pathname.replace(/\/+$/, '');
  const target = (path: string): UpstreamTarget => ({ origin, path, headers });

  if (deployment.azure) {
    const prefix = basePath.endsWith('/openai') ? basePath : `${basePath}/openai`;
    const root = `${prefix}/deployments/${encodeURIComponent(deployment.azure.deployment)}`;
    const query = `?api-version=${encodeURIComponent(deployment.azure.apiVersion)}`;
    return {
      chat: target(`${root}/chat/completions${query}`),
      completions: target(`${root}/completions${query}`),
      embeddings: target(`${root}/embeddings${query}`),
      // Azure lists the resource's models, not per deployment.
      models: target(`${prefix}/models${query}`),
    };
  }
  const query = base.search;
  return {
    chat: target(`${basePath}/chat/completions${query}`),
    completions: target(`${basePath}/completions${query}`),
    embeddings: target(`${basePath}/embeddings${query}`),
    models: target(`${basePath}/models${query}`),
  };
}

function fixedHeaders(deployment: Deployment, quirks: VendorQuirks): string[] {
  const merged = new Map<string, string>([['content-type', 'application/json']]);
  if (deployment.apiKey !== undefined && deployment.apiKey !== '') {
    const scheme = quirks.authScheme.trim();
    merged.set(
      quirks.authHeader.toLowerCase(),
      scheme ? `${scheme} ${deployment.apiKey}` : deployment.apiKey,
    );
  }
  for (const [name, value] of Object.entries(quirks.extraHeaders)) merged.set(name.toLowerCase(), value);
  for (const [name, value] of Object.entries(deployment.headers)) merged.set(name.toLowerCase(), value);
  return [...merged].flat();
}
