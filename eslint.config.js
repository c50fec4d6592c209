// Lint rules carry the dependency direction of DESIGN.md ("bin → lib → (types of) lambdas;
// local → lib + lambdas; handlers → providers/transfer/shared"), so a wrong import fails `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noCdkInRuntime = {
  group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'],
  message: 'Runtime code (lambdas/) never imports CDK.',
};
const noRuntimeFromInfra = {
  // Pure provider modules (request validation, field lists) are shared so synth and runtime agree.
  group: [
    '**/lambdas/handlers/*',
    '**/lambdas/transfer/*',
    '**/lambdas/providers/*/*',
    '!**/lambdas/providers/*/request',
    '!**/lambdas/providers/marketo/activity-fields',
    '**/local/*',
  ],
  allowTypeImports: true,
  message: 'lib/ imports nothing from lambdas/ but types.',
};
const noAwsSdkInProviders = {
  group: ['@aws-sdk/*'],
  message: 'Providers speak HTTP only; AWS belongs to transfer/ and shared/.',
};

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
  { files: ['lambdas/**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [noCdkInRuntime] }] } },
  { files: ['lambdas/providers/**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [noCdkInRuntime, noAwsSdkInProviders] }] } },
  { files: ['lib/**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [noRuntimeFromInfra] }] } },
);
