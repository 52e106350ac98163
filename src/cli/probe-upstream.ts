import { UsageError } from './cli-io.js';

/** What the start-up probe of an `--upstream` found. */
export type UpstreamProbe = { ok: true; models: number } | { ok: false; warning: string };

const PROBE_TIMEOUT_MS = 3_000;

/**
 * Checks an `--upstream` URL before the gateway starts: it must be an http(s) URL, and its
 * `GET /models` should answer. A URL that lacks the API's version prefix (vLLM, Ollama and
 * llama.cpp serve under `/v1`) is refused with the URL that works; an upstream that cannot be
 * reached yet (still loading weights) only earns a warning, since it may come up later.
 */
export async function checkUpstream(raw: string, apiKey: string | undefined): Promise<UpstreamProbe> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(
      `--upstream '${raw}' is not a URL; give the scheme and the API prefix, e.g. http://${raw.replace(/^\/+/, '')}${raw.includes('/v1') ? '' : '/v1'}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(
      `--upstream '${raw}' must start with http:// or https:// (for example http://localhost:8000/v1)`,
    );
  const base = raw.replace(/\/+$/, '');
  const first = await probe(`${base}/models`, apiKey);
  if (first.status === 200) return { ok: true, models: first.models };
  if (first.status === 404 && !/\/v\d+$/.test(url.pathname.replace(/\/+$/, ''))) {
    const withVersion = `${base}/v1`;
    const second = await probe(`${withVersion}/models`, apiKey);
    if (second.status === 200)
      throw new UsageError(
        `--upstream ${raw} answers 404 to GET /models, but ${withVersion}/models works: use --upstream ${withVersion}`,
      );
  }
  if (first.status === 401 || first.status === 403)
    return {
      ok: false,
      warning: `${base}/models answered ${first.status}: the upstream wants a key; pass its variable with --upstream-api-key-env`,
    };
  if (first.status === 'unreachable')
    return {
      ok: false,
      warning: `nothing answers at ${base} yet (${first.detail}); requests will fail until it does`,
    };
  return {
    ok: false,
    warning: `${base}/models answered ${first.status}; check that --upstream points at an OpenAI-compatible API (for example http://localhost:8000/v1)`,
  };
}

async function probe(
  url: string,
  apiKey: string | undefined,
): Promise<{ status: number; models: number } | { status: 'unreachable'; detail: string }> {
  try {
    const res = await fetch(url, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    let models = 0;
    if (res.status === 200) {
      const body = (await res.json().catch(() => null)) as { data?: unknown } | null;
      if (!body || !Array.isArray(body.data)) return { status: 502, models: 0 };
      models = body.data.length;
    } else await res.body?.cancel();
    return { status: res.status, models };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return { status: 'unreachable', detail: cause?.code ?? (err as Error).name };
  }
}
