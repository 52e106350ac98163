import { describe, expect, it } from 'vitest';
import { isMasterKey } from '../../src/keys/is-master-key.js';

describe('isMasterKey', () => {
  it.each([
    ['the master key itself', 'sk-master-123', 'sk-master-123', true],
    ['another key', 'sk-master-124', 'sk-master-123', false],
    ['a prefix of it', 'sk-master', 'sk-master-123', false],
    ['a longer key', 'sk-master-1234', 'sk-master-123', false],
    ['an empty key', '', 'sk-master-123', false],
    ['anything when no master key is set', 'sk-master-123', undefined, false],
    ['an empty key when the master key is empty', '', '', false],
  ])('%s', (_label, presented, master, expected) => {
    expect(isMasterKey(presented, master)).toBe(expected);
  });
});
