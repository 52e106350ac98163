import { hashWord } from './feature-hash.js';

/**
 * Words that hint at the kind of work a request asks for. They are matched by the same hash the
 * scanner computes for every word, so recognising a cue costs one Map lookup and no substring.
 */
export const CUE_CODE = 1;
export const CUE_MATH = 2;
export const CUE_REASONING = 4;
export const CUE_CONSTRAINT = 8;
export const CUE_CREATIVE = 16;
export const CUE_CHAT = 32;

const CUE_WORDS: Record<number, string[]> = {
  [CUE_CODE]: [
    'function',
    'def',
    'return',
    'class',
    'import',
    'const',
    'let',
    'var',
    'print',
    'int',
    'void',
    'public',
    'include',
    'lambda',
    'select',
    'python',
    'javascript',
    'typescript',
    'java',
    'rust',
    'sql',
    'code',
    'algorithm',
    'implement',
    'compile',
    'bug',
    'debug',
    'array',
    'string',
    'list',
    'regex',
    'api',
    'json',
    'html',
    'css',
    'bash',
    'script',
    'program',
    'recursion',
    'stack',
    'null',
  ],
  [CUE_MATH]: [
    'solve',
    'calculate',
    'compute',
    'equation',
    'integral',
    'derivative',
    'probability',
    'theorem',
    'sum',
    'product',
    'matrix',
    'polynomial',
    'prime',
    'number',
    'value',
    'find',
    'how',
    'many',
    'percent',
    'ratio',
    'average',
    'mean',
    'variance',
    'root',
    'square',
    'graph',
    'function',
    'group',
    'field',
    'ring',
    'vector',
    'limit',
    'log',
    'sin',
    'cos',
    'frac',
    'sqrt',
  ],
  [CUE_REASONING]: [
    'why',
    'explain',
    'reason',
    'reasoning',
    'step',
    'analyze',
    'analyse',
    'compare',
    'evaluate',
    'justify',
    'prove',
    'proof',
    'implications',
    'argue',
    'tradeoffs',
    'tradeoff',
    'therefore',
    'infer',
    'deduce',
    'logic',
    'logical',
    'valid',
    'argument',
    'premise',
    'conclusion',
    'statement',
    'true',
    'false',
    'best',
    'most',
    'likely',
  ],
  [CUE_CONSTRAINT]: [
    'json',
    'format',
    'bullet',
    'bullets',
    'words',
    'table',
    'exactly',
    'only',
    'concise',
    'sentence',
    'sentences',
    'paragraph',
    'yaml',
    'csv',
    'markdown',
    'must',
    'without',
    'limit',
    'maximum',
  ],
  [CUE_CREATIVE]: ['story', 'poem', 'write', 'essay', 'creative', 'imagine', 'fiction', 'song', 'lyrics'],
  [CUE_CHAT]: ['hi', 'hello', 'thanks', 'thank', 'please', 'joke', 'hey'],
};

const TABLE_BITS = 10;
const TABLE_MASK = (1 << TABLE_BITS) - 1;
const keys = new Int32Array(1 << TABLE_BITS);
const masks = new Int32Array(1 << TABLE_BITS);
// Open addressing with linear probing; a zero mask marks an empty slot.
for (const [bit, words] of Object.entries(CUE_WORDS)) {
  for (const w of words) {
    const h = hashWord(w);
    let slot = h & TABLE_MASK;
    while (masks[slot] !== 0 && keys[slot] !== h) slot = (slot + 1) & TABLE_MASK;
    keys[slot] = h;
    masks[slot] |= Number(bit);
  }
}

/** The cue families of a word, by its hash (0 when it is no cue): two array reads in the common case. */
export function cueMaskOf(wordHash: number): number {
  let slot = wordHash & TABLE_MASK;
  while (masks[slot] !== 0) {
    if (keys[slot] === wordHash) return masks[slot];
    slot = (slot + 1) & TABLE_MASK;
  }
  return 0;
}
