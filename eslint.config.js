// Lint rules carry the layering of docs/architecture.md ("Layers and what each may import"), so a wrong
// import fails `npm test`. test/lint/layering.test.ts lints probe files that break each rule: removing
// or weakening a rule fails that test.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const PROVIDERS = ['marketo', 'clickwrap'];

const cdk = { group: ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs'], message: 'Runtime code (lambdas/) never imports CDK.' };
// lambdas/window/: a window's life in the bucket. Its pure files (the bucket layout and table names)
// are the bottom of the stack; the rest (records, manifest, undo) is called by workflow/ steps only.
const WINDOW_PURE = ['**/window/bucket-layout', '**/window/table-names'];
const windowLife = (layer) => ({ group: ['**/window/*', ...WINDOW_PURE.map((p) => `!${p}`)], message: `${layer} reads only the pure files of window/ (bucket layout, table names); a window's life is workflow/'s to call.` });
const awsSdk = { group: ['@aws-sdk/*'], message: 'Providers speak HTTP only; AWS belongs to transfer/, workflow/ and shared/.' };
const above = (layer, forbidden, why) => ({ group: forbidden.flatMap((f) => [`**/${f}`, `**/${f}/**`]), message: `${layer} ${why}` });

// lib/ (CDK) reads provider knowledge only through pure modules; anything else from lambdas/ only as a type.
// test/lint/layering.test.ts also bundles lib/ and checks that no runtime SDK or HTTP client is pulled in.
const LIB_MAY_IMPORT = [
  'shared/errors',
  'shared/retry-policy',
  'shared/export-definition',
  'shared/grain',
  'window/bucket-layout',
  'window/table-names',
  'shared/completion-events',
  'shared/provider-names',
  'shared/metric-catalog',
  'shared/export-catalog',
  'shared/validation',
  'shared/uncleaned-statuses',
  'providers/descriptors',
  'providers/[a-z]+/descriptor',
  'providers/marketo/activity-fields',
  'curated/curated-column',
  'curated/latest-view',
];
const libFromRuntime = {
  regex: `(^|/)lambdas/(?!(${LIB_MAY_IMPORT.join('|')})$)`,
  allowTypeImports: true,
  message: 'lib/ imports from lambdas/ only types and pure descriptors (see docs/architecture.md).',
};
const libFromLocal = { group: ['**/local/**'], message: 'lib/ (infrastructure) never imports local/ tools.' };

const restrict = (files, patterns) => ({ files, rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] } });

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
  // Later blocks win for the same file, so each layer's block lists every pattern that applies to it.
  restrict(['lambdas/**/*.ts'], [cdk]),
  restrict(['lambdas/handlers/**/*.ts'], [cdk, above('handlers/', ['transfer', 'providers/marketo', 'providers/clickwrap'], 'are one line over workflow/: they never reach past it.')]),
  restrict(['lambdas/workflow/**/*.ts'], [cdk, above('workflow/', ['handlers'], 'never imports handlers/.')]),
  restrict(['lambdas/window/**/*.ts'], [cdk, above('window/', ['handlers', 'workflow', 'curated', 'providers/marketo', 'providers/clickwrap', 'providers/registry'], "is a window's life in the bucket: it knows no step and builds no provider.")]),
  restrict(['lambdas/curated/**/*.ts'], [cdk, above('curated/', ['handlers', 'workflow', 'providers/marketo', 'providers/clickwrap'], 'converts files: it knows no step and no provider client.'), windowLife('curated/')]),
  restrict(['lambdas/transfer/**/*.ts'], [cdk, above('transfer/', ['handlers', 'workflow', 'curated', 'window', 'providers/marketo', 'providers/clickwrap', 'providers/registry', 'providers/descriptors', 'providers/descriptor-registry'], 'moves bytes: it knows no step and no provider.')]),
  restrict(['lambdas/shared/**/*.ts'], [cdk, above('shared/', ['handlers', 'workflow', 'curated', 'transfer', 'window', 'providers'], 'is the bottom layer: it imports nothing above it.')]),
  restrict(['lambdas/providers/*.ts'], [cdk, awsSdk, above('providers/', ['handlers', 'workflow', 'curated', 'transfer'], 'are adapters: they import neither steps, transfer nor each other.'), windowLife('providers/')]),
  ...PROVIDERS.map((name) =>
    restrict([`lambdas/providers/${name}/**/*.ts`], [
      cdk,
      awsSdk,
      windowLife(`providers/${name}/`),
      above(`providers/${name}/`, ['handlers', 'workflow', 'curated', 'transfer', 'providers/registry', 'providers/descriptors', 'providers/descriptor-registry', ...PROVIDERS.filter((p) => p !== name).map((p) => `providers/${p}`)], 'imports neither steps, transfer, the registries nor another provider.'),
      // Siblings are reached relatively ('../clickwrap/…', '../registry'), which the patterns above do not see.
      { group: ['../registry', '../descriptors', '../descriptor-registry', ...PROVIDERS.filter((p) => p !== name).flatMap((p) => [`../${p}`, `../${p}/**`])], message: `providers/${name}/ imports neither the registries nor another provider.` },
    ]),
  ),
  restrict(['lib/**/*.ts'], [libFromRuntime, libFromLocal]),
  // An independent simulator must not share the client's beliefs: nothing from lambdas/ but types.
  restrict(['local/simulators/**/*.ts'], [{ group: ['**/lambdas/**'], allowTypeImports: true, message: 'Simulators import nothing from lambdas/ but types: they must not share the client\'s beliefs.' }]),
);
