import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, describeZodIssues } from '../config/config-error.js';
import { serverSchema } from '../config/schema/config-schema.js';

export interface DataDirSources {
  /** An explicit `--data-dir`; wins over everything. */
  dataDir?: string;
  /** A config file whose `server.dataDir` is used. */
  configPath?: string;
  cwd: string;
}

/**
 * Where the database lives, for commands that only need storage. Only the `server` section of a
 * config file is read, so inspecting records or keys does not require the upstream API keys that
 * a full config load would insist on. Relative paths are taken from the working directory, as the
 * gateway does.
 */
export function resolveDataDir(sources: DataDirSources): string {
  if (sources.dataDir !== undefined) return resolve(sources.cwd, sources.dataDir);
  if (sources.configPath !== undefined) {
    const path = resolve(sources.cwd, sources.configPath);
    let raw: unknown;
    try {
      raw = parseYaml(readFileSync(path, 'utf8')) ?? {};
    } catch (err) {
      throw new ConfigError(path, [`cannot read the config: ${(err as Error).message}`]);
    }
    const server =
      typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).server : undefined;
    const parsed = serverSchema.safeParse(server ?? {});
    if (!parsed.success)
      throw new ConfigError(
        path,
        describeZodIssues(parsed.error).map((issue) => `server.${issue}`),
      );
    return resolve(sources.cwd, parsed.data.dataDir);
  }
  return resolve(sources.cwd, '.switchyard');
}
