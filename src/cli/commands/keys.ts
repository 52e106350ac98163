import { parseArgs } from 'node:util';
import { createKeyStore } from '../../keys/sqlite-key-store.js';
import type { ListedKey } from '../../keys/key-store.js';
import { resolveDataDir } from '../../storage/resolve-data-dir.js';
import { UsageError, type CliIO, type CommandRun } from '../cli-io.js';

const HELP = `switchyard keys create --name N [--workload W] [--team T]   create a key and print it once
switchyard keys list                                          list keys (never the secrets)
switchyard keys revoke ID                                     revoke a key; the gateway refuses it within a second

Options:
  --data-dir D     folder holding switchyard.db (default: .switchyard)
  --config FILE    take the folder from the config's server.dataDir
  --json           machine-readable output
`;

export const run: CommandRun = async (argv, io) => {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      name: { type: 'string' },
      workload: { type: 'string' },
      team: { type: 'string' },
      'data-dir': { type: 'string' },
      config: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const [sub, ...rest] = positionals;
  if (values.help || !sub) {
    io.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  if (sub !== 'create' && sub !== 'list' && sub !== 'revoke')
    throw new UsageError(`unknown subcommand '${sub}'`);
  if (sub === 'create' && !values.name?.trim()) throw new UsageError('keys create needs --name N');
  if (sub === 'revoke' && rest.length !== 1) throw new UsageError('keys revoke needs exactly one key ID');
  if (sub !== 'revoke' && rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);

  const dataDir = resolveDataDir({ dataDir: values['data-dir'], configPath: values.config, cwd: io.cwd });
  const keys = createKeyStore(dataDir);
  try {
    if (sub === 'create') {
      const created = keys.create({ name: values.name ?? '', workload: values.workload, team: values.team });
      if (values.json) {
        io.stdout.write(`${JSON.stringify(created)}\n`);
      } else {
        const labels = [
          values.workload && `workload ${values.workload}`,
          values.team && `team ${values.team}`,
        ];
        const extra = labels.filter(Boolean).join(', ');
        io.stdout.write(
          `Created key ${created.id} '${values.name?.trim()}'${extra ? ` (${extra})` : ''}:\n\n` +
            `  ${created.key}\n\n` +
            `Copy it now: it will not be shown again (only its hash is stored).\n`,
        );
      }
      return 0;
    }
    if (sub === 'list') {
      printKeys(keys.list(), io, values.json ?? false);
      return 0;
    }
    const id = rest[0];
    if (!keys.revoke(id)) {
      io.stderr.write(`switchyard keys: no key with id '${id}' (see 'switchyard keys list')\n`);
      return 1;
    }
    io.stdout.write(`Revoked ${id}.\n`);
    return 0;
  } finally {
    keys.close();
  }
};

function printKeys(list: ListedKey[], io: CliIO, json: boolean): void {
  if (json) {
    for (const key of list) io.stdout.write(`${JSON.stringify(key)}\n`);
    return;
  }
  if (list.length === 0) {
    io.stdout.write("No keys yet. Create one with 'switchyard keys create --name NAME'.\n");
    return;
  }
  const rows = [
    ['ID', 'NAME', 'KEY', 'WORKLOAD', 'TEAM', 'CREATED', 'STATUS'],
    ...list.map((k) => [
      k.id,
      k.name,
      `${k.prefix}…`,
      k.workload ?? '-',
      k.team ?? '-',
      isoMinute(k.createdAt),
      k.revokedAt === null ? 'active' : `revoked ${isoMinute(k.revokedAt)}`,
    ]),
  ];
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  for (const row of rows)
    io.stdout.write(
      `${row
        .map((cell, col) => cell.padEnd(widths[col]))
        .join('  ')
        .trimEnd()}\n`,
    );
}

function isoMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}
