/**
 * Which departure from the null a test looks for: `greater` means the candidate (or the first
 * sample) scores higher.
 */
export type Alternative = 'two-sided' | 'greater' | 'less';
