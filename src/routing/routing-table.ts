import { ConfigError } from '../config/config-error.js';
import type { PublicModel } from '../config/gateway-config.js';
import type { FallbackCondition, RetryPolicy, RouteConfig } from '../config/schema/routes-schema.js';
import { retryPolicySchema } from '../config/schema/routes-schema.js';
import type { Deployment } from '../spec/deployment.js';
import { compileGlobs } from './compile-glob.js';
import type { RouteInput } from './route-plan.js';

/** Fallback conditions of routes that do not list their own, and of requests no route matched. */
export const DEFAULT_FALLBACK_ON: readonly FallbackCondition[] = Object.freeze([
  'connection',
  '5xx',
  '429',
  'timeout',
  'first_token_timeout',
]);

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze(retryPolicySchema.parse({}));

export interface CompiledRoute {
  readonly config: RouteConfig;
  /** The match, in words, for records and the route header. */
  readonly rule: string;
  readonly needsComplexity: boolean;
  readonly retryPolicy: RetryPolicy;
  readonly fallbackOn: readonly FallbackCondition[];
  /** For `auto` targets with `targetCost`: the strong share that meets the target price. */
  readonly autoStrongShare?: number;
  matches(input: RouteInput, complexity: () => number | undefined): boolean;
}

export interface RoutingTable {
  readonly routes: readonly CompiledRoute[];
  readonly deployments: ReadonlyMap<string, Deployment>;
  /** A target reference (deployment id or public model name) → the deployment ids it stands for. */
  readonly refs: ReadonlyMap<string, readonly string[]>;
  /** Public model name → its pool, for requests no route matched. */
  readonly models: ReadonlyMap<string, readonly string[]>;
  /** References (model names) whose pool is balanced by load; every other pool is tried in order. */
  readonly balanced: ReadonlySet<string>;
  readonly passthroughDeployment?: string;
}

export interface RoutingSource {
  deployments: ReadonlyMap<string, Deployment>;
  models: ReadonlyMap<string, PublicModel>;
  passthroughDeployment?: string;
  routes: readonly RouteConfig[];
}

/**
 * Compiles route policies once per config load: globs become testers, references are resolved to
 * deployment ids, and unknown references fail start-up with the key that names them.
 */
export function compileRoutingTable(source: RoutingSource, sourceName = 'config'): RoutingTable {
  const issues: string[] = [];
  const refs = new Map<string, readonly string[]>();
  const models = new Map<string, readonly string[]>();
  const balanced = new Set<string>();
  for (const [name, model] of source.models) {
    models.set(name, Object.freeze([...model.deploymentIds]));
    refs.set(name, Object.freeze([...model.deploymentIds]));
    if (model.balance === 'least-loaded') balanced.add(name);
  }
  // A deployment id names exactly that deployment, even when a model shares the name.
  for (const id of source.deployments.keys()) {
    refs.set(id, Object.freeze([id]));
    balanced.delete(id);
  }

  const check = (ref: string, at: string) => {
    if (!refs.has(ref))
      issues.push(
        `${at}: '${ref}' is neither a deployment id nor a public model name; add it under 'deployments:' or 'models:'`,
      );
  };

  const routes = source.routes.map((route, i): CompiledRoute => {
    const at = `routes[${i}]`;
    for (const [path, ref] of targetRefs(route)) check(ref, `${at}.${path}`);
    const compiled = compileRoute(route);
    if ('auto' in route.target && route.target.auto.targetCost && issues.length === 0) {
      const share = strongShareForCost(
        route.target.auto,
        refs,
        source.deployments,
        `${at}.target.auto`,
        issues,
      );
      if (share !== undefined) return Object.freeze({ ...compiled, autoStrongShare: share });
    }
    return Object.freeze(compiled);
  });

  if (issues.length) throw new ConfigError(sourceName, issues);
  return Object.freeze({
    routes: Object.freeze(routes),
    deployments: source.deployments,
    refs,
    models,
    balanced,
    passthroughDeployment: source.passthroughDeployment,
  });
}

function targetRefs(route: RouteConfig): [string, string][] {
  const out: [string, string][] = [];
  const simple = (t: RouteConfig['target'], path: string) => {
    if ('deployment' in t) out.push([`${path}.deployment`, t.deployment]);
    else if ('split' in t)
      t.split.forEach((e, j) => out.push([`${path}.split[${j}].deployment`, e.deployment]));
    else if ('fallback' in t) t.fallback.forEach((ref, j) => out.push([`${path}.fallback[${j}]`, ref]));
    else {
      simple(t.auto.weak, `${path}.auto.weak`);
      simple(t.auto.strong, `${path}.auto.strong`);
    }
  };
  simple(route.target, 'target');
  route.spillover?.tiers.forEach((tier, j) =>
    tier.forEach((ref, k) => out.push([`spillover.tiers[${j}][${k}]`, ref])),
  );
  route.shadow?.candidates.forEach((ref, j) => out.push([`shadow.candidates[${j}]`, ref]));
  return out;
}

type AutoConfig = Extract<RouteConfig['target'], { auto: unknown }>['auto'];

/**
 * The strong share whose blended price meets `targetCost`, with prices from the config when not
 * given. A deployment's price per million tokens is blended 3:1 input to output, the usual shape
 * of chat traffic.
 */
function strongShareForCost(
  auto: AutoConfig,
  refs: ReadonlyMap<string, readonly string[]>,
  deployments: ReadonlyMap<string, Deployment>,
  at: string,
  issues: string[],
): number | undefined {
  const cost = auto.targetCost!;
  const priceOf = (side: 'weak' | 'strong', given: number | undefined): number | undefined => {
    if (given !== undefined) return given;
    const target = auto[side];
    const ref =
      'deployment' in target
        ? target.deployment
        : 'fallback' in target
          ? target.fallback[0]
          : [...target.split].sort((a, b) => b.weight - a.weight)[0].deployment;
    const id = refs.get(ref)?.[0];
    const p = id === undefined ? undefined : deployments.get(id)?.prices;
    if (p?.inputPerMillionUsd !== undefined && p.outputPerMillionUsd !== undefined)
      return (3 * p.inputPerMillionUsd + p.outputPerMillionUsd) / 4;
    issues.push(
      `${at}.targetCost.${side}UsdPerMTok: deployment '${id ?? ref}' has no input and output prices; set ${side}UsdPerMTok or its prices`,
    );
    return undefined;
  };
  const weak = priceOf('weak', cost.weakUsdPerMTok);
  const strong = priceOf('strong', cost.strongUsdPerMTok);
  if (weak === undefined || strong === undefined) return undefined;
  if (strong <= weak) return 1;
  return Math.min(1, Math.max(0, (cost.targetUsdPerMTok - weak) / (strong - weak)));
}

type Predicate = (input: RouteInput, complexity: () => number | undefined) => boolean;

function compileRoute(route: RouteConfig): CompiledRoute {
  const m = route.match;
  const preds: Predicate[] = [];
  const words: string[] = [];
  const list = (v: string | string[]) => (typeof v === 'string' ? v : v.join('|'));

  const field = (name: string, patterns: string | string[] | undefined, read: (i: RouteInput) => unknown) => {
    if (patterns === undefined) return;
    const test = compileGlobs(patterns);
    preds.push((input) => {
      const value = read(input);
      return typeof value === 'string' && test(value);
    });
    words.push(`${name}=${list(patterns)}`);
  };
  field('model', m.model, (i) => i.model);
  field('key', m.key, (i) => i.keyId);
  field('team', m.team, (i) => i.team);
  field('workload', m.workload, (i) => i.workload);

  for (const [rawName, pattern] of Object.entries(m.headers ?? {})) {
    const name = rawName.toLowerCase();
    const test = compileGlobs(pattern);
    preds.push((input) => {
      const value = input.headers?.[name];
      return value !== undefined && test(value);
    });
    words.push(`header:${name}=${pattern}`);
  }
  if (m.dataClass !== undefined) {
    const want = m.dataClass;
    preds.push((input) => preRouteDataClass(input) === want);
    words.push(`dataClass=${want}`);
  }
  if (m.minPromptTokens !== undefined) {
    const min = m.minPromptTokens;
    preds.push((input) => input.promptTokens !== undefined && input.promptTokens >= min);
    words.push(`promptTokens>=${min}`);
  }
  if (m.maxPromptTokens !== undefined) {
    const max = m.maxPromptTokens;
    preds.push((input) => input.promptTokens !== undefined && input.promptTokens <= max);
    words.push(`promptTokens<=${max}`);
  }
  if (m.hasTools !== undefined) {
    const want = m.hasTools;
    preds.push((input) => Boolean(input.hasTools) === want);
    words.push(`hasTools=${want}`);
  }
  if (m.jsonSchema !== undefined) {
    const want = m.jsonSchema;
    preds.push((input) => Boolean(input.jsonSchema) === want);
    words.push(`jsonSchema=${want}`);
  }
  // Complexity last: it is the only condition that costs anything to evaluate.
  if (m.minComplexity !== undefined) {
    const min = m.minComplexity;
    preds.push((_input, complexity) => {
      const c = complexity();
      return c !== undefined && c >= min;
    });
    words.push(`complexity>=${min}`);
  }
  if (m.maxComplexity !== undefined) {
    const max = m.maxComplexity;
    preds.push((_input, complexity) => {
      const c = complexity();
      return c !== undefined && c <= max;
    });
    words.push(`complexity<=${max}`);
  }

  return {
    config: route,
    rule: words.length ? words.join(' ') : 'any',
    needsComplexity: m.minComplexity !== undefined || m.maxComplexity !== undefined || 'auto' in route.target,
    retryPolicy: route.retries ?? DEFAULT_RETRY_POLICY,
    fallbackOn: route.fallbackOn ?? DEFAULT_FALLBACK_ON,
    matches: (input, complexity) => preds.every((p) => p(input, complexity)),
  };
}

/** The data class routes match on: explicit `restricted`, or any detector finding, before redaction. */
export function preRouteDataClass(input: RouteInput): 'restricted' | 'normal' {
  if (input.dataClass === 'restricted') return 'restricted';
  return input.sensitiveKinds && input.sensitiveKinds.length > 0 ? 'restricted' : 'normal';
}
