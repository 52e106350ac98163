/**
 * A report as a few kinds of blocks, rendered to a terminal, Markdown or HTML by the same code, so
 * the three formats always say the same thing.
 */
export type Block =
  | { kind: 'title'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; headers: string[]; rows: string[][]; alignRight?: number[] }
  | { kind: 'list'; items: string[] };

export type ReportFormat = 'text' | 'markdown' | 'html' | 'json';

function pad(cells: string[], widths: number[], right: Set<number>): string {
  return cells
    .map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
    .join('  ')
    .trimEnd();
}

export function renderText(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'title':
        out.push(b.text, '');
        break;
      case 'heading':
        out.push(b.text);
        break;
      case 'paragraph':
        out.push(`  ${b.text}`, '');
        break;
      case 'list':
        out.push(...b.items.map((i) => `  - ${i}`), '');
        break;
      case 'table': {
        const widths = b.headers.map((h, i) => Math.max(h.length, ...b.rows.map((r) => (r[i] ?? '').length)));
        const right = new Set(b.alignRight ?? []);
        out.push(`  ${pad(b.headers, widths, right)}`);
        for (const r of b.rows) out.push(`  ${pad(r, widths, right)}`);
        out.push('');
        break;
      }
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(blocks: readonly Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'title':
        out.push(`# ${b.text}`, '');
        break;
      case 'heading':
        out.push(`## ${b.text}`, '');
        break;
      case 'paragraph':
        out.push(b.text, '');
        break;
      case 'list':
        out.push(...b.items.map((i) => `- ${i}`), '');
        break;
      case 'table': {
        const right = new Set(b.alignRight ?? []);
        out.push(`| ${b.headers.map(mdCell).join(' | ')} |`);
        out.push(`| ${b.headers.map((_, i) => (right.has(i) ? '---:' : '---')).join(' | ')} |`);
        for (const r of b.rows) out.push(`| ${r.map(mdCell).join(' | ')} |`);
        out.push('');
        break;
      }
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d232a}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #d8dde3}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{padding:.25rem .6rem;border-bottom:1px solid #eef0f3;text-align:left;vertical-align:top}
th{background:#f5f7f9}td.r,th.r{text-align:right;font-variant-numeric:tabular-nums}`;

/** A self-contained page: no scripts, no external assets, every value escaped. */
export function renderHtml(blocks: readonly Block[], title: string): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'title':
        out.push(`<h1>${escapeHtml(b.text)}</h1>`);
        break;
      case 'heading':
        out.push(`<h2>${escapeHtml(b.text)}</h2>`);
        break;
      case 'paragraph':
        out.push(`<p>${escapeHtml(b.text)}</p>`);
        break;
      case 'list':
        out.push(`<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`);
        break;
      case 'table': {
        const right = new Set(b.alignRight ?? []);
        const cls = (i: number) => (right.has(i) ? ' class="r"' : '');
        out.push(
          `<table><thead><tr>${b.headers.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${b.rows
            .map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${escapeHtml(c)}</td>`).join('')}</tr>`)
            .join('')}</tbody></table>`,
        );
        break;
      }
    }
  }
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>\n${out.join('\n')}\n</body></html>\n`;
}

export function renderBlocks(
  blocks: readonly Block[],
  format: Exclude<ReportFormat, 'json'>,
  title: string,
): string {
  if (format === 'markdown') return renderMarkdown(blocks);
  if (format === 'html') return renderHtml(blocks, title);
  return renderText(blocks);
}
