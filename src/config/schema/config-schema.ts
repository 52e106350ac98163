import { z } from 'zod';
import { deploymentSchema } from './deployment-schema.js';
import { vendorQuirksSchema } from './vendor-schema.js';
import { routesSchema } from './routes-schema.js';
import { costSchema } from './cost-schema.js';
import { rolloutsSchema } from './rollouts-schema.js';

export const corsSchema = z.strictObject({
  allowedOrigins: z
    .array(z.string().min(1))
    .default([])
    .describe(
      "Web origins (https://app.example.com) whose pages may call the gateway from a browser; '*' for any. Other cross-origin browser requests are refused.",
    ),
});

export const serverSchema = z
  .strictObject({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(4000),
    dataDir: z.string().default('.switchyard').describe('Folder for the SQLite file.'),
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .default(20 * 1024 * 1024),
    maxJsonDepth: z
      .number()
      .int()
      .min(8)
      .max(1000)
      .default(128)
      .describe('Deepest nesting of objects and arrays a request body may have (400 beyond).'),
    requireApiKey: z
      .boolean()
      .default(true)
      .describe('Reject requests without a valid key. Off only for a local zero-config proxy.'),
    shutdownGraceMs: z
      .number()
      .int()
      .nonnegative()
      .default(10_000)
      .describe('On SIGTERM, how long requests in flight may take to finish before they are cut.'),
    headersTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(20_000)
      .describe(
        'A client must send its request headers within this time of connecting, or of the first byte of a later request on a kept-alive connection.',
      ),
    requestTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(120_000)
      .describe(
        'A client must send its whole request, body included, within this time; answers may take longer.',
      ),
    keepAliveTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(65_000)
      .describe(
        'An idle kept-alive connection is closed after this long (longer than load balancers keep theirs).',
      ),
    maxConnections: z
      .number()
      .int()
      .positive()
      .default(10_000)
      .describe('Open client connections at most; further ones are closed at once.'),
    cors: corsSchema.default(corsSchema.parse({})),
  })
  .superRefine((server, ctx) => {
    if (server.headersTimeoutMs > server.requestTimeoutMs)
      ctx.addIssue({
        code: 'custom',
        path: ['headersTimeoutMs'],
        message: 'headersTimeoutMs must not exceed requestTimeoutMs (the headers are part of the request)',
      });
  });

export const recordsSchema = z.strictObject({
  batchIntervalMs: z.number().int().positive().default(250).describe('At most this much is lost in a crash.'),
  batchSize: z.number().int().positive().default(1000),
  logBodies: z.boolean().default(false).describe('Store request and response bodies for every route.'),
  maxBacklog: z
    .number()
    .int()
    .positive()
    .default(20_000)
    .describe(
      'Finished requests waiting to be priced and stored beyond which new requests get 503, so none goes unrecorded.',
    ),
});

export const breakerSchema = z.strictObject({
  consecutiveFailures: z
    .number()
    .int()
    .positive()
    .default(5)
    .describe('Consecutive failures that open a breaker.'),
  errorRate: z.number().min(0).max(1).default(0.5).describe('Failure share over the window that opens it...'),
  minRequests: z.number().int().positive().default(20).describe('...once the window holds this many calls.'),
  windowMs: z.number().int().positive().default(60_000),
  cooldownMs: z.number().int().positive().default(30_000).describe('Open time before half-open probes.'),
  halfOpenProbes: z.number().int().positive().default(1),
});

export const residencySchema = z.strictObject({
  restrictedKeys: z
    .array(z.string())
    .default([])
    .describe('API key ids whose traffic is always restricted (internal deployments only).'),
  restrictedTeams: z.array(z.string()).default([]).describe('Teams whose traffic is always restricted.'),
  restrictedWorkloads: z
    .array(z.string())
    .default([])
    .describe('Workloads whose traffic is always restricted.'),
  detect: z
    .boolean()
    .default(true)
    .describe('Scan prompts for personal data and secrets; a finding makes the request restricted.'),
});

export const telemetrySchema = z.strictObject({
  otlp: z
    .strictObject({
      endpoint: z
        .url()
        .describe('OTLP/HTTP collector base URL; spans are POSTed to {endpoint}/v1/traces as JSON.'),
      headers: z.record(z.string(), z.string()).default({}).describe('Extra headers, e.g. an auth token.'),
      serviceName: z.string().default('switchyard'),
      batchIntervalMs: z.number().int().positive().default(1000),
      maxBatchSpans: z.number().int().positive().default(512),
    })
    .optional()
    .describe('Export one span per request to an OpenTelemetry collector.'),
});

export const modelSchema = z.strictObject({
  name: z.string().min(1).describe('Public model name clients ask for.'),
  deployments: z
    .array(z.string())
    .min(1)
    .describe('Deployment ids serving it, as one pool, tried in the order listed.'),
  balance: z
    .enum(['in-order', 'least-loaded'], { error: "use 'in-order' or 'least-loaded'" })
    .default('in-order')
    .describe(
      "'in-order': the first deployment serves while it is healthy, the next ones take over on failure. 'least-loaded': fewest requests in flight per unit of weight, then lowest latency.",
    ),
  description: z.string().optional(),
});

export const configSchema = z.strictObject({
  server: serverSchema.default(serverSchema.parse({})),
  records: recordsSchema.default(recordsSchema.parse({})),
  breaker: breakerSchema.default(breakerSchema.parse({})).describe('Circuit breaker of every deployment.'),
  telemetry: telemetrySchema.default(telemetrySchema.parse({})),
  residency: residencySchema
    .default(residencySchema.parse({}))
    .describe('Which traffic must stay on internal deployments, besides the x-switchyard-data-class header.'),
  vendors: z.record(z.string(), vendorQuirksSchema).default({}),
  deployments: z.array(deploymentSchema).default([]),
  models: z.array(modelSchema).default([]),
  /**
   * Pass every model name not listed in `models` to this deployment (zero-config quick start:
   * `serve --upstream URL`).
   */
  passthroughDeployment: z.string().optional(),
  routes: routesSchema,
  cost: costSchema,
  rollouts: rolloutsSchema.describe('Gated cutovers from a baseline deployment to a candidate, per route.'),
});

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.infer<typeof configSchema>;
