import { countTokens, decode, encode } from 'gpt-tokenizer/encoding/o200k_base';
import { countInPieces } from '../cost/token-counter.js';

/**
 * Token counting and splitting with a real BPE tokenizer (o200k_base, GPT-4o's), so usage figures
 * look like a real server's. Results are cached by text because load tests send the same prompt
 * over and over.
 */
const COUNT_CACHE_LIMIT = 2_000;
const countCache = new Map<string, number>();

export function countTextTokens(text: string): number {
  if (text === '') return 0;
  const cached = countCache.get(text);
  if (cached !== undefined) return cached;
  // In pieces: a long run without whitespace is quadratic for BPE, and would stall the simulator.
  const n = countInPieces(text, countTokens);
  if (countCache.size >= COUNT_CACHE_LIMIT) countCache.clear();
  countCache.set(text, n);
  return n;
}

const PIECES_CACHE_LIMIT = 500;
const piecesCache = new Map<string, readonly string[]>();

/** The text cut at token boundaries; a token that ends inside a UTF-8 character is joined to the next. */
export function tokenPieces(text: string): readonly string[] {
  const cached = piecesCache.get(text);
  if (cached) return cached;
  const pieces: string[] = [];
  let pending: number[] = [];
  for (const token of encode(text)) {
    pending.push(token);
    const piece = decode(pending);
    if (piece.includes('\uFFFD')) continue;
    pieces.push(piece);
    pending = [];
  }
  if (pending.length) pieces.push(decode(pending));
  if (piecesCache.size >= PIECES_CACHE_LIMIT) piecesCache.clear();
  piecesCache.set(text, pieces);
  return pieces;
}
