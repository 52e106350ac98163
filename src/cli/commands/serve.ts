import { parseArgs } from 'node:util';
import { loadConfigFile, resolveConfig } from '../../config/load-config.js';
import type { GatewayConfig } from '../../config/gateway-config.js';
import { startGateway } from '../../server/start-gateway.js';
import { UsageError, type CommandRun } from '../cli-io.js';
import { checkUpstream } from '../probe-upstream.js';
import { resolve } from 'node:path';

const HELP = `switchyard serve --config FILE [--port N] [--host H] [--data-dir DIR]
switchyard serve --upstream URL [--upstream-api-key-env VAR] [--port N] [--host H] [--data-dir DIR]

Runs the gateway. With --upstream and no config file, every model name is passed through to that
one OpenAI-compatible server (a vLLM, SGLang, Ollama or llama.cpp endpoint, including its /v1).
Keys: the master key is read from SWITCHYARD_MASTER_KEY. Without a config file and without a master
key the gateway accepts requests without a key (it listens on 127.0.0.1 unless --host says otherwise).
`;

export const run: CommandRun = async (argv, io) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      upstream: { type: 'string' },
      'upstream-api-key-env': { type: 'string' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (!values.config && !values.upstream) throw new UsageError('give --config FILE or --upstream URL');
  if (values.config && values.upstream) throw new UsageError('give either --config or --upstream, not both');
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
    throw new UsageError(`--port must be an integer between 0 and 65535, got '${values.port}'`);

  const masterKey = io.env.SWITCHYARD_MASTER_KEY || undefined;
  let config: GatewayConfig;
  if (values.config) {
    config = loadConfigFile(resolve(io.cwd, values.config), io.env);
  } else {
    const upstreamKey = values['upstream-api-key-env'] ? io.env[values['upstream-api-key-env']] : undefined;
    const probe = await checkUpstream(values.upstream!, upstreamKey);
    if (probe.ok) io.stdout.write(`upstream ${values.upstream} answers (${probe.models} model(s) listed)\n`);
    else io.stderr.write(`warning: ${probe.warning}\n`);
    config = resolveConfig(
      {
        server: { requireApiKey: masterKey !== undefined },
        deployments: [
          {
            id: 'upstream',
            baseUrl: values.upstream,
            model: 'passthrough',
            apiKeyEnv: values['upstream-api-key-env'],
            location: 'internal',
          },
        ],
        passthroughDeployment: 'upstream',
      },
      io.env,
      '--upstream',
    );
  }
  if (values['data-dir']) config = { ...config, server: { ...config.server, dataDir: values['data-dir'] } };

  const gateway = await startGateway(config, { cwd: io.cwd, masterKey, port, host: values.host });
  io.stdout.write(`switchyard listening on ${gateway.url} (config: ${config.source})\n`);
  io.stdout.write(`  OpenAI base URL:    ${gateway.url}/v1\n  Anthropic base URL: ${gateway.url}\n`);
  io.stdout.write(`  records: ${resolve(io.cwd, config.server.dataDir)}/switchyard.db\n`);
  if (!config.server.requireApiKey)
    io.stderr.write('warning: API keys are not required (no config file and no SWITCHYARD_MASTER_KEY set)\n');
  if (!io.stopSignal.aborted)
    await new Promise((r) => io.stopSignal.addEventListener('abort', r, { once: true }));
  io.stdout.write('switchyard: shutting down, flushing records\n');
  await gateway.close();
  return 0;
};
