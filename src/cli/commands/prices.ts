import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import type { CliIO, CommandRun } from '../cli-io.js';
import { UsageError } from '../cli-io.js';
import { ConfigError, describeZodIssues } from '../../config/config-error.js';
import { costSchema } from '../../config/schema/cost-schema.js';
import type { PriceEntry } from '../../cost/price-entry.js';
import { parsePriceFile, type SkippedPrice } from '../../cost/parse-price-file.js';
import { PriceBook, type PriceOrigin } from '../../cost/price-book.js';
import { formatPriceOverlay } from '../../cost/price-overlay.js';

const HELP = `switchyard prices show [MODEL] [--provider P] [--json] [--config FILE]
switchyard prices import FILE [--out FILE] [--source TEXT] [--retrieved YYYY-MM-DD] [--verbose]

show     List prices per million tokens with their source and date: the built-in catalogue, or with
         --config also that config's cost.prices and cost.priceFiles. With MODEL, every provider's
         price for it (snapshots such as gpt-4o-2024-08-06 and prefixes such as openai/ resolve).
import   Read LiteLLM's model_prices_and_context_window.json or OpenRouter's /api/v1/models
         answer and write a price file for 'cost.priceFiles'.

Options:
  --provider P          show only this provider's price (together, groq, openai, ...)
  --json                print JSON
  --config FILE         include the prices this config adds
  --out FILE            where import writes (default: prices.json)
  --source TEXT         source recorded on imported prices (default: the input file name)
  --retrieved DATE      date recorded on imported prices (default: today)
  --verbose             list every skipped model
  -h, --help            show this help
`;

type Row = { entry: PriceEntry; origin: PriceOrigin };

function loadBook(configPath: string | undefined, cwd: string): PriceBook {
  if (configPath === undefined) return new PriceBook();
  const path = resolve(cwd, configPath);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8')) ?? {};
  } catch (err) {
    throw new ConfigError(path, [`cannot read the config: ${(err as Error).message}`]);
  }
  const section = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).cost : undefined;
  const parsed = costSchema.safeParse(section);
  if (!parsed.success)
    throw new ConfigError(
      path,
      describeZodIssues(parsed.error).map((i) => `cost.${i}`),
    );
  return PriceBook.fromConfig(parsed.data, dirname(path));
}

const rate = (n: number | undefined) => (n === undefined ? '-' : `$${n}`);

function table(rows: Row[]): string {
  const head = ['model', 'provider', 'input/M', 'output/M', 'cached/M', 'from', 'source', 'retrieved'];
  const body = rows.map(({ entry, origin }) => [
    entry.model,
    entry.provider,
    rate(entry.inputPerMillionUsd),
    rate(entry.outputPerMillionUsd),
    rate(entry.cachedInputPerMillionUsd),
    origin,
    entry.source,
    entry.retrieved || '-',
  ]);
  const widths = head.map((_, i) => Math.max(head[i].length, ...body.map((r) => r[i].length)));
  const right = new Set([2, 3, 4]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return `${[line(head), ...body.map(line)].join('\n')}\n`;
}

function show(
  positionals: string[],
  values: { provider?: string; json: boolean; config?: string },
  io: CliIO,
): number {
  if (positionals.length > 1) throw new UsageError('prices show takes at most one model');
  const book = loadBook(values.config, io.cwd);
  const model = positionals[0];
  let rows: Row[] = model === undefined ? book.allEntries() : book.entriesFor(model);
  if (values.provider !== undefined) rows = rows.filter((r) => r.entry.provider === values.provider);
  if (model !== undefined && rows.length === 0) {
    const lookup = book.lookup(model, values.provider);
    io.stderr.write(`switchyard prices: ${lookup.found ? `no price for '${model}'` : lookup.reason}\n`);
    return 1;
  }
  if (values.json) {
    io.stdout.write(
      `${JSON.stringify(
        rows.map((r) => ({ ...r.entry, origin: r.origin })),
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  io.stdout.write(table(rows));
  if (model !== undefined) {
    const lookup = book.lookup(model, values.provider);
    io.stdout.write(
      lookup.found
        ? `\n'${model}' is priced as ${lookup.entry.model} (${lookup.entry.provider}, from ${lookup.origin}).\n${billingTerms(lookup.entry)}`
        : `\n${lookup.reason}.\n`,
    );
  }
  return 0;
}

/** The rates beside the standard ones, where the entry lists them: what usage exports are billed at. */
function billingTerms(e: PriceEntry): string {
  const pair = (t: {
    inputPerMillionUsd: number;
    outputPerMillionUsd: number;
    cachedInputPerMillionUsd?: number;
  }) =>
    `$${t.inputPerMillionUsd} in / $${t.outputPerMillionUsd} out${t.cachedInputPerMillionUsd === undefined ? '' : ` / $${t.cachedInputPerMillionUsd} cached`}`;
  const lines: string[] = [];
  for (const [tier, t] of Object.entries(e.tiers ?? {})) if (t) lines.push(`  ${tier}: ${pair(t)}`);
  if (e.cacheWrite5mPerMillionUsd !== undefined || e.cacheWrite1hPerMillionUsd !== undefined)
    lines.push(
      `  cache writes: $${e.cacheWrite5mPerMillionUsd ?? '-'} (5 minutes) / $${e.cacheWrite1hPerMillionUsd ?? '-'} (1 hour)`,
    );
  if (e.longContext)
    lines.push(
      `  prompts over ${e.longContext.aboveInputTokens.toLocaleString('en-US')} tokens: ${pair(e.longContext)}`,
    );
  if (e.note) lines.push(`  note: ${e.note}`);
  return lines.length ? `Per million tokens, beside the standard rate:\n${lines.join('\n')}\n` : '';
}

function summariseSkipped(skipped: SkippedPrice[], verbose: boolean): string {
  if (verbose) return skipped.map((s) => `  ${s.model}: ${s.reason}\n`).join('');
  const byReason = new Map<string, string[]>();
  for (const s of skipped) {
    const list = byReason.get(s.reason) ?? [];
    list.push(s.model);
    byReason.set(s.reason, list);
  }
  return [...byReason.entries()]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([reason, models]) => {
      const examples = models.slice(0, 3).join(', ');
      return `  ${models.length} × ${reason} (e.g. ${examples}${models.length > 3 ? ', ...' : ''})\n`;
    })
    .join('');
}

function importFile(
  positionals: string[],
  values: { out: string; source?: string; retrieved?: string; verbose: boolean },
  io: CliIO,
): number {
  if (positionals.length !== 1) throw new UsageError('prices import takes one FILE');
  const file = positionals[0];
  const retrieved = values.retrieved ?? new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(retrieved))
    throw new UsageError(`--retrieved: '${retrieved}' is not YYYY-MM-DD`);
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (err) {
    io.stderr.write(`switchyard prices: cannot read ${file}: ${(err as Error).message}\n`);
    return 1;
  }
  let parsed;
  try {
    parsed = parsePriceFile(text, { source: values.source ?? file, retrieved });
  } catch (err) {
    io.stderr.write(`switchyard prices: ${file}: ${(err as Error).message}\n`);
    return 1;
  }
  const out = resolve(io.cwd, values.out);
  writeFileSync(out, formatPriceOverlay(parsed.entries));
  io.stdout.write(
    `Imported ${parsed.entries.length} models from ${file} (${parsed.format} format) into ${values.out}.\n`,
  );
  if (parsed.skipped.length) {
    io.stdout.write(`Skipped ${parsed.skipped.length}:\n${summariseSkipped(parsed.skipped, values.verbose)}`);
  }
  io.stdout.write(`Use it with:\n  cost:\n    priceFiles: [${values.out}]\n`);
  return 0;
}

export const run: CommandRun = async (argv, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        provider: { type: 'string' },
        json: { type: 'boolean', default: false },
        config: { type: 'string' },
        out: { type: 'string', default: 'prices.json' },
        source: { type: 'string' },
        retrieved: { type: 'string' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  const [sub, ...rest] = positionals;
  if (values.help || sub === undefined) {
    io.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  if (sub === 'show') return show(rest, values, io);
  if (sub === 'import') return importFile(rest, values, io);
  throw new UsageError(`unknown subcommand '${sub}'; use show or import`);
};
