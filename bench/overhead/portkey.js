// Installs Portkey's open-source gateway beside the benchmark (never into the project), with the
// two fixes it needs to be measured fairly:
// - @hono/node-server pinned to 1.13.5 (under 1.19.x every streamed response fails with 500
//   "TypeError: immutable", Portkey-AI/gateway#1389) plus Portkey's own one-line patch
//   (`return await responseViaResponseObject(...)`);
// - bound to 127.0.0.1 (it listens on every interface by default).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = '1.15.2';
const dir = join(dirname(fileURLToPath(import.meta.url)), '.portkey');

export async function preparePortkey() {
  const pkg = join(dir, 'node_modules', '@portkey-ai', 'gateway');
  if (!existsSync(join(pkg, 'build', 'start-server.js'))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'portkey-bench',
        private: true,
        dependencies: { '@portkey-ai/gateway': VERSION },
        overrides: { '@hono/node-server': '1.13.5' },
      }),
    );
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent'], {
      cwd: dir,
      stdio: 'ignore',
      timeout: 300_000,
    });
  }
  const hono = join(dir, 'node_modules', '@hono', 'node-server', 'dist', 'index.mjs');
  const honoSrc = readFileSync(hono, 'utf8');
  if (!honoSrc.includes('return await responseViaResponseObject('))
    writeFileSync(
      hono,
      honoSrc.replace('return responseViaResponseObject(', 'return await responseViaResponseObject('),
    );
  const entry = join(pkg, 'build', 'start-server.js');
  const src = readFileSync(entry, 'utf8');
  const bound = src.replace(
    /\(\{fetch:(\w+)\.fetch,port:(\w+)\}\)/,
    '({fetch:$1.fetch,port:$2,hostname:"127.0.0.1"})',
  );
  if (bound === src && !src.includes('hostname:"127.0.0.1"'))
    throw new Error('could not bind Portkey to 127.0.0.1');
  if (bound !== src) writeFileSync(entry, bound);
  return { entry, version: VERSION };
}
