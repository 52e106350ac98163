import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';

export type ProgressFn = (bytesRead: number, totalBytes: number) => void;

/** Lines of a file with 1-based numbers, streamed in constant memory, reporting bytes read. */
export async function* readLines(
  file: string,
  onProgress?: ProgressFn,
): AsyncGenerator<{ line: string; n: number }> {
  const total = (await stat(file)).size;
  const stream = createReadStream(file);
  let read = 0;
  if (onProgress)
    stream.on('data', (chunk) => {
      read += chunk.length;
      onProgress(read, total);
    });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    yield { line, n };
  }
}

/**
 * CSV records (RFC 4180) with the line each starts on. Quoted fields may hold commas, doubled quotes
 * and line breaks; a record left open at the end of the file is reported, not dropped.
 */
export async function* readCsvRecords(
  file: string,
  onProgress?: ProgressFn,
): AsyncGenerator<{ fields: string[]; n: number } | { error: string; n: number }> {
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let startLine = 0;
  for await (const { line, n } of readLines(file, onProgress)) {
    if (!inQuotes) {
      if (line.trim() === '') continue;
      if (!line.includes('"')) {
        yield { fields: line.split(','), n };
        continue;
      }
      fields = [];
      field = '';
      startLine = n;
    } else {
      field += '\n';
    }
    let i = 0;
    let malformed = false;
    while (i < line.length) {
      const c = line[i];
      if (inQuotes) {
        if (c === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          inQuotes = false;
          i++;
          if (i < line.length && line[i] !== ',') {
            malformed = true;
            break;
          }
          continue;
        }
        field += c;
        i++;
        continue;
      }
      if (c === ',') {
        fields.push(field);
        field = '';
      } else if (c === '"' && field === '') {
        inQuotes = true;
      } else {
        field += c;
      }
      i++;
    }
    if (malformed) {
      yield { error: 'text after a closing quote', n: startLine };
      inQuotes = false;
      continue;
    }
    if (!inQuotes) {
      fields.push(field);
      yield { fields, n: startLine };
    }
  }
  if (inQuotes) yield { error: 'quoted field not closed before the end of the file', n: startLine };
}
