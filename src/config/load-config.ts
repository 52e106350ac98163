import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Deployment } from '../spec/deployment.js';
import { BUILTIN_VENDORS } from './builtin-vendors.js';
import { ConfigError, describeZodIssues } from './config-error.js';
import type { GatewayConfig, PublicModel } from './gateway-config.js';
import { configSchema, type ConfigInput } from './schema/config-schema.js';
import { checkRolloutReferences } from './schema/rollouts-schema.js';

export type Env = Record<string, string | undefined>;

const PROVIDERS = new Set(['openai-compatible', 'anthropic']);

export function loadConfigFile(path: string, env: Env): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [`cannot read the file: ${(err as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (err) {
    throw new ConfigError(path, [`not valid YAML: ${(err as Error).message}`]);
  }
  return resolveConfig(raw, env, path);
}

/** Validates raw config (from YAML or code), resolves env references and cross-references. */
export function resolveConfig(raw: unknown, env: Env, source = 'config'): GatewayConfig {
  const parsed = configSchema.safeParse(raw as ConfigInput);
  if (!parsed.success) throw new ConfigError(source, describeZodIssues(parsed.error));
  const cfg = parsed.data;
  const issues: string[] = [];
  const vendors = { ...BUILTIN_VENDORS, ...cfg.vendors };

  const deployments = new Map<string, Deployment>();
  cfg.deployments.forEach((d, i) => {
    const at = `deployments[${i}]`;
    if (deployments.has(d.id))
      issues.push(`${at}.id: '${d.id}' is used twice; deployment ids must be unique`);
    if (!PROVIDERS.has(d.provider))
      issues.push(
        `${at}.provider: unknown provider '${d.provider}'; use one of ${[...PROVIDERS].join(', ')}`,
      );
    const vendor = d.vendor ?? (d.provider === 'anthropic' ? 'anthropic' : 'openai');
    if (d.provider === 'openai-compatible' && !vendors[vendor])
      issues.push(
        `${at}.vendor: unknown vendor '${vendor}'; use one of ${Object.keys(vendors).join(', ')} or declare it under 'vendors:'`,
      );
    if (vendor === 'azure' && !d.azure)
      issues.push(
        `${at}.azure: Azure deployments need 'azure: { deployment: <name>, apiVersion: <version> }'`,
      );
    let apiKey: string | undefined;
    if (d.apiKeyEnv) {
      apiKey = env[d.apiKeyEnv];
      if (apiKey === undefined || apiKey === '')
        issues.push(
          `${at}.apiKeyEnv: environment variable ${d.apiKeyEnv} is not set; export it or remove apiKeyEnv`,
        );
    }
    deployments.set(d.id, {
      id: d.id,
      provider: d.provider,
      vendor,
      baseUrl: d.baseUrl.replace(/\/+$/, ''),
      model: d.model,
      apiKey,
      azure: d.azure,
      anthropicVersion: d.anthropicVersion,
      headers: d.headers,
      timeouts: d.timeouts,
      location: d.location,
      tags: d.tags,
      prices: d.prices,
      selfHosted: d.selfHosted,
      maxConcurrency: d.maxConcurrency,
      contextWindow: d.contextWindow,
      healthPath: d.healthPath,
      metricsPath: d.metricsPath,
      weight: d.weight,
      logBodies: d.logBodies || cfg.records.logBodies,
    });
  });

  const models = new Map<string, PublicModel>();
  cfg.models.forEach((m, i) => {
    if (models.has(m.name)) issues.push(`models[${i}].name: '${m.name}' is listed twice`);
    m.deployments.forEach((id, j) => {
      if (!deployments.has(id))
        issues.push(
          `models[${i}].deployments[${j}]: no deployment with id '${id}'; add it under 'deployments:'`,
        );
    });
    models.set(m.name, {
      name: m.name,
      deploymentIds: m.deployments,
      balance: m.balance,
      description: m.description,
    });
  });
  if (cfg.passthroughDeployment && !deployments.has(cfg.passthroughDeployment))
    issues.push(`passthroughDeployment: no deployment with id '${cfg.passthroughDeployment}'`);
  issues.push(
    ...checkRolloutReferences(cfg.rollouts, {
      routeIds: new Set(cfg.routes.map((r) => r.id)),
      deploymentIds: new Set(deployments.keys()),
    }),
  );

  if (issues.length) throw new ConfigError(source, issues);
  return {
    source,
    server: cfg.server,
    records: cfg.records,
    breaker: cfg.breaker,
    residency: cfg.residency,
    telemetry: cfg.telemetry,
    vendors,
    deployments,
    models,
    passthroughDeployment: cfg.passthroughDeployment,
    routes: cfg.routes,
    cost: cfg.cost,
    rollouts: cfg.rollouts,
  };
}
