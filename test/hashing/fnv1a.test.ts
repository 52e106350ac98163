import { describe, expect, it } from 'vitest';
import { fnv1a } from '../../src/hashing/fnv1a.js';

describe('FNV-1a', () => {
  // Reference values for 32-bit FNV-1a (http://www.isthe.com/chongo/tech/comp/fnv/): ASCII text
  // hashes the same over UTF-16 code units as over bytes.
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('%j hashes to the published value', (text, expected) => {
    expect(fnv1a(text) >>> 0).toBe(expected);
  });
});
