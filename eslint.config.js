// Lint carries the layering of lint/layers.js (shown in docs/architecture.md), so a wrong import fails
// `npm test`. test/lint/layering.test.ts lints probe files that break each rule: removing or weakening a
// rule fails that test.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

import { layeringPlugin } from './lint/layering-rule.js';

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', 'exports/**', 'coverage/**', '.bench-data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // One rule holds every import to its layer's row of lint/layers.js (static, re-export, import(), import types).
  {
    files: ['lambdas/**/*.ts', 'lib/**/*.ts', 'local/**/*.ts', 'bin/**/*.ts'],
    plugins: { layering: layeringPlugin },
    rules: { 'layering/imports': 'error' },
  },
);
