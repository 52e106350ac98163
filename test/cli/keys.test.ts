import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { createKeyStore } from '../../src/keys/sqlite-key-store.js';
import { tempDataDir } from '../storage/temp-data-dir.js';
import { fakeCliIO } from '../records/fake-cli-io.js';

const cleanups: Array<() => void> = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((f) => f()),
);

function workdir(): string {
  const t = tempDataDir();
  cleanups.push(t.remove);
  return t.dir;
}

async function run(cwd: string, ...argv: string[]) {
  const io = fakeCliIO(cwd);
  const code = await main(['keys', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

function keyIn(text: string): string {
  const match = /sk-sy-[0-9A-Za-z]+/.exec(text);
  if (!match) throw new Error(`no key in: ${text}`);
  return match[0];
}

describe('switchyard keys', () => {
  it('creates a key, prints it once with a warning, and the gateway accepts it', async () => {
    const cwd = workdir();
    const created = await run(
      cwd,
      'create',
      '--name',
      'support bot',
      '--workload',
      'support',
      '--team',
      'cx',
    );
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/will not be shown again/);
    const key = keyIn(created.out);

    const keys = createKeyStore(join(cwd, '.switchyard'));
    cleanups.push(() => keys.close());
    expect(keys.verify(key)).toMatchObject({ name: 'support bot', workload: 'support', team: 'cx' });

    const listed = await run(cwd, 'list');
    expect(listed.code).toBe(0);
    expect(listed.out).toContain('support bot');
    expect(listed.out).toContain('support');
    expect(listed.out).toContain(key.slice(0, 10));
    expect(listed.out).not.toContain(key);
  });

  it('revokes a key by id, after which the gateway refuses it', async () => {
    const cwd = workdir();
    const created = await run(cwd, 'create', '--name', 'ci', '--json');
    const { id, key } = JSON.parse(created.out) as { id: string; key: string };

    const revoked = await run(cwd, 'revoke', id);
    expect(revoked.code).toBe(0);
    expect(revoked.out).toContain(id);

    const keys = createKeyStore(join(cwd, '.switchyard'));
    cleanups.push(() => keys.close());
    expect(keys.verify(key)).toBeNull();
    expect((await run(cwd, 'list')).out).toMatch(/revoked/);
  });

  it('says so when the key to revoke does not exist', async () => {
    const result = await run(workdir(), 'revoke', 'key_nope');
    expect(result.code).toBe(1);
    expect(result.err).toContain("no key with id 'key_nope'");
  });

  it('uses --data-dir, or the data folder of a --config file', async () => {
    const cwd = workdir();
    writeFileSync(join(cwd, 'switchyard.yaml'), 'server:\n  dataDir: state\n');
    const viaConfig = await run(cwd, 'create', '--name', 'a', '--config', 'switchyard.yaml');
    expect(viaConfig.code).toBe(0);
    expect((await run(cwd, 'list', '--data-dir', 'state')).out).toContain(' a ');
    expect((await run(cwd, 'list')).out).toMatch(/No keys yet/);
  });

  it('treats a missing name or an unknown subcommand as a usage error', async () => {
    const cwd = workdir();
    const noName = await run(cwd, 'create');
    expect(noName.code).toBe(2);
    expect(noName.err).toContain('--name');
    expect((await run(cwd, 'rotate')).code).toBe(2);
    const help = await run(cwd, '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('keys create --name N');
  });
});
