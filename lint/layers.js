// The layers of the code and what each may import: the one table that eslint.config.js enforces
// (lint/layering-rule.js) and docs/architecture.md shows (`npm run docs:layers` writes it there; a test
// fails when the page and this table differ).
//
// A unit is a folder; a file belongs to the unit with the longest matching folder. Inside its unit a
// file imports relatively; anything outside it is reached by a Node subpath import (`#shared/errors`,
// package.json "imports"), so every cross-unit edge is an exact specifier that a pattern below allows.
// Patterns: `*` is one path segment, `**` any number.

/** Runtime code never imports CDK. */
const CDK = ['aws-cdk-lib', 'aws-cdk-lib/**', 'constructs'];
/** Providers speak HTTP only: AWS belongs to transfer/, workflow/ and shared/. */
const AWS_SDK = ['@aws-sdk/**'];

export const LAYERS = [
  {
    unit: 'lambdas/shared',
    mayImport: [],
    denyPackages: CDK,
    why: 'shared/ is the bottom layer: it imports nothing above it',
  },
  {
    unit: 'lambdas/providers/*',
    mayImport: [
      '#shared/**',
      '#providers/types',
      '#providers/descriptor',
      '#providers/job-states',
      '#providers/request-window',
    ],
    denyPackages: [...CDK, ...AWS_SDK],
    why: 'a provider imports neither steps, transfer, the registries nor another provider',
  },
  {
    unit: 'lambdas/providers',
    mayImport: ['#shared/**', '#window/bucket-layout', '#window/table-names'],
    denyPackages: [...CDK, ...AWS_SDK],
    why: 'the registries, the contract and the pure dataset knowledge (descriptors, latest and analyst views) import only the provider folders, shared/, the bucket layout and the table names',
  },
  {
    unit: 'lambdas/transfer',
    mayImport: ['#shared/**'],
    mayImportTypes: ['#providers/types'],
    denyPackages: CDK,
    why: 'transfer/ moves bytes: it knows no step, no window and no provider',
  },
  {
    unit: 'lambdas/curated',
    mayImport: ['#shared/**', '#window/bucket-layout'],
    mayImportTypes: ['#transfer/object-store', '#providers/types', '#providers/descriptor'],
    denyPackages: CDK,
    why: 'curated/ converts files: it knows no step, no provider and no dataset descriptor (its caller passes the columns)',
  },
  {
    unit: 'lambdas/window',
    mayImport: ['#shared/**'],
    mayImportTypes: ['#transfer/object-store', '#providers/types'],
    denyPackages: CDK,
    why: "window/ is a window's life in the bucket: it is given the store and the provider, it builds neither",
  },
  {
    unit: 'lambdas/workflow',
    mayImport: [
      '#shared/**',
      '#transfer/**',
      '#curated/**',
      '#window/**',
      '#providers/registry',
      '#providers/descriptors',
    ],
    mayImportTypes: ['#providers/**'],
    denyPackages: CDK,
    why: 'workflow/ reaches providers only through the registry and never imports handlers/',
  },
  {
    unit: 'lambdas/handlers',
    mayImport: [
      '#workflow/step-handler',
      '#workflow/provider-step-handler',
      '#workflow/steps/*',
      '#workflow/execution-input',
    ],
    denyPackages: CDK,
    why: 'a handler is one line over a workflow step: it never reaches past it',
  },
  {
    unit: 'lib',
    mayImport: [
      '#shared/errors',
      '#shared/retry-policy',
      '#shared/export-definition',
      '#shared/export-catalog',
      '#shared/completion-events',
      '#shared/metric-catalog',
      '#shared/validation',
      '#shared/uncleaned-statuses',
      '#window/bucket-layout',
      '#window/table-names',
      '#window/run-limits',
      '#providers/descriptors',
      '#providers/*/descriptor',
      '#providers/latest-view',
      '#providers/marketo-views',
      '#curated/curated-column',
    ],
    mayImportTypes: ['#**'],
    why: 'lib/ (infrastructure) imports from lambdas/ only types and these pure modules, and never local/',
  },
  {
    unit: 'local/simulators',
    mayImport: [],
    mayImportTypes: ['#**'],
    why: "a simulator imports nothing from lambdas/ but types: it must not share the client's beliefs",
  },
  {
    unit: 'local',
    mayImport: ['#**'],
    mayReach: ['lib/**'],
    why: 'local/ runs what lib/ synthesizes with any runtime module',
  },
  {
    unit: 'bin',
    mayImport: ['#**'],
    mayReach: ['lib/**', 'local/**'],
    why: 'bin/ is the entry: it may use lib/, local/ and any runtime module',
  },
];
