import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.html'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  // Dependencies point inward: the spec layer (wire types, the adapter interface, errors) and the
  // vendor vocabularies import nothing of ours; the libraries below never import the CLI or the server.
  {
    files: ['src/spec/**/*.ts', 'src/anthropic-api/**/*.ts', 'src/stats/**/*.ts', 'src/hashing/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../*'], message: 'this layer imports nothing of ours outside its folder' }] },
      ],
    },
  },
  {
    files: [
      'src/planner/**/*.ts',
      'src/capacity/**/*.ts',
      'src/cost/**/*.ts',
      'src/routing/**/*.ts',
      'src/complexity-router/**/*.ts',
      'src/residency/**/*.ts',
      'src/providers/**/*.ts',
      'src/protocols/**/*.ts',
      'src/limits/**/*.ts',
      'src/records/**/*.ts',
      'src/storage/**/*.ts',
      'src/usage/**/*.ts',
      'src/health/**/*.ts',
      'src/metrics/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/cli/*', '**/cli/**'], message: 'libraries never import the CLI' },
            { group: ['**/server/*', '**/server/**'], message: 'libraries never import the server' },
          ],
        },
      ],
    },
  },
);
