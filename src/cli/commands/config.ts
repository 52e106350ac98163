import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError } from '../../config/config-error.js';
import { loadConfigFile } from '../../config/load-config.js';
import { configSchema } from '../../config/schema/config-schema.js';
import { compileRoutingTable } from '../../routing/index.js';
import { UsageError, type CommandRun } from '../cli-io.js';

const HELP = `switchyard config check FILE   validate a config file without serving (exit 1 when invalid)
switchyard config schema       print the JSON Schema of the config file (for editors)
`;

export const run: CommandRun = async (argv, io) => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' } },
  });
  const [sub, file] = positionals;
  if (values.help || !sub) {
    io.stdout.write(HELP);
    return sub || values.help ? 0 : 2;
  }
  if (sub === 'schema') {
    const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
    io.stdout.write(`${JSON.stringify({ title: 'Switchyard configuration', ...schema }, null, 2)}\n`);
    return 0;
  }
  if (sub !== 'check') throw new UsageError(`unknown subcommand '${sub}'`);
  if (!file) throw new UsageError('config check needs a FILE');
  try {
    const config = loadConfigFile(resolve(io.cwd, file), io.env);
    // Route references are resolved exactly as `serve` does, so a typo fails here, not at start-up.
    compileRoutingTable(
      {
        deployments: config.deployments,
        models: config.models,
        passthroughDeployment: config.passthroughDeployment,
        routes: config.routes,
      },
      file,
    );
    io.stdout.write(
      `${file}: OK (${config.deployments.size} deployments, ${config.models.size} models, ${
        Array.isArray(config.routes) ? config.routes.length : 0
      } routes)\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
};
