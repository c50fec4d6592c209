// The layering rule (lint/layers.js, enforced by eslint.config.js), probed: each probe is an import a layer must not make, linted
// as if it lived at that path. Weakening or removing a rule makes its probe pass lint, and this test fail.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { withLayersTable } from '../../lint/layers-table.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const eslint = new ESLint({ cwd: repoRoot });

async function layeringErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath: path.join(repoRoot, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'layering/imports').map((m) => m.message);
}

// Every edge docs/architecture.md forbids, written as a newcomer might: by subpath, by a relative path
// that climbs out of the layer, as a value where only a type may pass, and as a dynamic import().
const FORBIDDEN: readonly { file: string; code: string; why: string }[] = [
  {
    file: 'lib/probe.ts',
    code: "import { withRuntime } from '#workflow/runtime'; void withRuntime;",
    why: 'lib/ loading the runtime (S3 SDK)',
  },
  {
    file: 'lib/constructs/probe.ts',
    code: "import { createProvider } from '../../lambdas/providers/registry'; void createProvider;",
    why: 'lib/ loading the provider registry by a relative path',
  },
  {
    file: 'lib/probe.ts',
    code: "import { createMarketoProvider } from '#providers/marketo/provider'; void createMarketoProvider;",
    why: 'lib/ loading a provider client',
  },
  {
    file: 'lib/probe.ts',
    code: "import { runExport } from '../local/run-export'; void runExport;",
    why: 'lib/ loading local tools',
  },
  {
    file: 'lib/probe.ts',
    code: "const m = await import('#providers/registry'); void m;",
    why: 'lib/ loading the registry by import()',
  },
  {
    file: 'lambdas/providers/marketo/probe.ts',
    code: "import { S3ObjectStore } from '#transfer/s3-object-store'; void S3ObjectStore;",
    why: 'a provider loading transfer/',
  },
  {
    file: 'lambdas/providers/marketo/probe.ts',
    code: "import { withRuntime } from '../../workflow/runtime'; void withRuntime;",
    why: 'a provider loading workflow/ by a relative path',
  },
  {
    file: 'lambdas/providers/marketo/probe.ts',
    code: "import { createClickwrapProvider } from '../clickwrap/provider'; void createClickwrapProvider;",
    why: 'a provider loading another provider',
  },
  {
    file: 'lambdas/providers/clickwrap/probe.ts',
    code: "import { MARKETO_DESCRIPTOR } from '#providers/marketo/descriptor'; void MARKETO_DESCRIPTOR;",
    why: 'a provider loading another provider by subpath',
  },
  {
    file: 'lambdas/providers/clickwrap/probe.ts',
    code: "import { S3Client } from '@aws-sdk/client-s3'; void S3Client;",
    why: 'a provider loading the AWS SDK',
  },
  {
    file: 'lambdas/providers/marketo/probe.ts',
    code: "import { createProvider } from '#providers/registry'; void createProvider;",
    why: 'a provider loading the registry (a cycle)',
  },
  {
    file: 'lambdas/shared/probe.ts',
    code: "import { plan } from '#workflow/steps/plan'; void plan;",
    why: 'shared/ loading workflow/ (a cycle)',
  },
  {
    file: 'lambdas/shared/probe.ts',
    code: "import { handler } from '../handlers/plan'; void handler;",
    why: 'shared/ loading handlers/ (a cycle)',
  },
  {
    file: 'lambdas/shared/probe.ts',
    code: "import { PROVIDER_DESCRIPTORS } from '#providers/descriptors'; void PROVIDER_DESCRIPTORS;",
    why: 'shared/ loading providers/',
  },
  {
    file: 'lambdas/transfer/probe.ts',
    code: "import { withRuntime } from '#workflow/runtime'; void withRuntime;",
    why: 'transfer/ loading workflow/',
  },
  {
    file: 'lambdas/transfer/probe.ts',
    code: "import { createMarketoProvider } from '#providers/marketo/index'; void createMarketoProvider;",
    why: 'transfer/ loading a provider',
  },
  {
    file: 'lambdas/transfer/probe.ts',
    code: "import { TERMINAL_JOB_STATES } from '#providers/types'; void TERMINAL_JOB_STATES;",
    why: 'transfer/ loading a runtime value of the contract (types only)',
  },
  {
    file: 'lambdas/curated/probe.ts',
    code: "import { createProvider } from '#providers/registry'; void createProvider;",
    why: 'curated/ loading the provider registry',
  },
  {
    file: 'lambdas/curated/probe.ts',
    code: "import { tableLayout } from '#providers/descriptors'; void tableLayout;",
    why: 'curated/ loading the descriptors',
  },
  {
    file: 'lambdas/curated/probe.ts',
    code: "import { plan } from '#workflow/steps/plan'; void plan;",
    why: 'curated/ loading workflow/',
  },
  {
    file: 'lambdas/workflow/probe.ts',
    code: "import { handler } from '#handlers/plan'; void handler;",
    why: 'workflow/ loading handlers/',
  },
  {
    file: 'lambdas/workflow/probe.ts',
    code: "import { createMarketoProvider } from '#providers/marketo/provider'; void createMarketoProvider;",
    why: 'workflow/ bypassing the provider registry',
  },
  {
    file: 'lambdas/workflow/steps/probe.ts',
    code: "const p = await import('#providers/clickwrap/provider'); void p;",
    why: 'workflow/ bypassing the registry by import()',
  },
  {
    file: 'lambdas/workflow/probe.ts',
    code: "const name = 'registry'; const p = await import(`#providers/${name}`); void p;",
    why: 'an import() whose specifier cannot be checked',
  },
  {
    file: 'lambdas/handlers/probe.ts',
    code: "import { transferChunk } from '#transfer/transfer-chunk'; void transferChunk;",
    why: 'a handler reaching past workflow/',
  },
  {
    file: 'lambdas/handlers/probe.ts',
    code: "import { createProvider } from '#providers/registry'; void createProvider;",
    why: 'a handler loading the provider registry',
  },
  {
    file: 'lambdas/handlers/probe.ts',
    code: "import { getSecretJson } from '#shared/secrets'; void getSecretJson;",
    why: 'a handler reading secrets itself',
  },
  {
    file: 'lambdas/handlers/probe.ts',
    code: "const s = await import('../shared/secrets'); void s;",
    why: 'a handler reaching past workflow/ by import()',
  },
  {
    file: 'lambdas/workflow/probe.ts',
    code: "import { Duration } from 'aws-cdk-lib'; void Duration;",
    why: 'runtime loading CDK',
  },
  {
    file: 'lambdas/providers/probe.ts',
    code: "import { Construct } from 'constructs'; void Construct;",
    why: 'runtime loading CDK',
  },
  {
    file: 'local/simulators/marketo/probe.ts',
    code: "import { validateMarketoRequest } from '#providers/marketo/request'; void validateMarketoRequest;",
    why: "a simulator sharing the client's beliefs",
  },
  {
    file: 'local/simulators/probe.ts',
    code: "import { PROVIDER_NAMES } from '../../lambdas/shared/provider-names'; void PROVIDER_NAMES;",
    why: 'a simulator importing runtime values by a relative path',
  },
  {
    file: 'lib/probe.ts',
    code: "import { undoWindows } from '#window/undo-window'; void undoWindows;",
    why: "lib/ loading a window's undo (runtime)",
  },
  {
    file: 'lambdas/window/probe.ts',
    code: "import { withRuntime } from '#workflow/runtime'; void withRuntime;",
    why: 'window/ loading workflow/',
  },
  {
    file: 'lambdas/window/probe.ts',
    code: "import { createProvider } from '#providers/registry'; void createProvider;",
    why: 'window/ building a provider',
  },
  {
    file: 'lambdas/window/probe.ts',
    code: "import { S3ObjectStore } from '#transfer/s3-object-store'; void S3ObjectStore;",
    why: 'window/ building a store',
  },
  {
    file: 'lambdas/curated/probe.ts',
    code: "import { undoWindows } from '../window/undo-window'; void undoWindows;",
    why: 'curated/ undoing a window',
  },
  {
    file: 'lambdas/providers/probe.ts',
    code: "import { readManifest } from '#window/manifest'; void readManifest;",
    why: "providers reading a window's manifest",
  },
  {
    file: 'lambdas/transfer/probe.ts',
    code: "import { BUCKET_PREFIXES } from '#window/bucket-layout'; void BUCKET_PREFIXES;",
    why: 'transfer/ knowing the bucket layout',
  },
  {
    file: 'lambdas/shared/probe.ts',
    code: "import { tableNameOf } from '#window/table-names'; void tableNameOf;",
    why: 'shared/ importing window/',
  },
  {
    file: 'lambdas/curated/probe.ts',
    code: "import { S3ObjectStore } from '#transfer/s3-object-store'; void S3ObjectStore;",
    why: 'curated/ building a store (it is given one)',
  },
  {
    file: 'lambdas/handlers/probe.ts',
    code: "import { runtimeFromEnvironment } from '#workflow/lambda-runtime'; void runtimeFromEnvironment;",
    why: 'a handler building its runtime itself',
  },
];

const ALLOWED: readonly { file: string; code: string }[] = [
  { file: 'lib/probe.ts', code: "import { tableLayout } from '#providers/descriptors'; void tableLayout;" },
  {
    file: 'lib/probe.ts',
    code: "import { MARKETO_DESCRIPTOR } from '#providers/marketo/descriptor'; void MARKETO_DESCRIPTOR;",
  },
  { file: 'lib/probe.ts', code: "import { BUCKET_PREFIXES } from '#window/bucket-layout'; void BUCKET_PREFIXES;" },
  { file: 'lib/probe.ts', code: "import type { TaskInputs } from '#workflow/state'; export type T = TaskInputs;" },
  {
    file: 'lambdas/providers/marketo/probe.ts',
    code: "import { ValidationError } from '#shared/errors'; void ValidationError;",
  },
  {
    file: 'lambdas/providers/probe.ts',
    code: "import { MARKETO_DESCRIPTOR } from './marketo/descriptor'; void MARKETO_DESCRIPTOR;",
  },
  {
    file: 'lambdas/transfer/probe.ts',
    code: "import type { ExportProvider } from '#providers/types'; export type P = ExportProvider;",
  },
  { file: 'lambdas/handlers/probe.ts', code: "import { plan } from '#workflow/steps/plan'; void plan;" },
  {
    file: 'local/simulators/probe.ts',
    code: "import type { ProviderName } from '#shared/provider-names'; export type P = ProviderName;",
  },
  { file: 'bin/probe.ts', code: "import { runExport } from '../local/run-export'; void runExport;" },
  { file: 'lib/probe.ts', code: "import { tableNameOf } from '#window/table-names'; void tableNameOf;" },
  {
    file: 'lambdas/providers/probe.ts',
    code: "import { PARTITION_COLUMN } from '#window/bucket-layout'; void PARTITION_COLUMN;",
  },
  { file: 'lambdas/workflow/probe.ts', code: "import { undoWindows } from '#window/undo-window'; void undoWindows;" },
  {
    file: 'lambdas/window/probe.ts',
    code: "import type { ObjectStore } from '#transfer/object-store'; export type S = ObjectStore;",
  },
  {
    file: 'lambdas/handlers/probe.ts',
    code: "import { providerStepHandler } from '#workflow/provider-step-handler'; void providerStepHandler;",
  },
];

describe('layering lint rule', () => {
  it.each(FORBIDDEN)('refuses $why ($file)', async ({ file, code }) => {
    expect(await layeringErrors(file, code)).not.toEqual([]);
  });

  it.each(ALLOWED)('allows $code in $file', async ({ file, code }) => {
    expect(await layeringErrors(file, code)).toEqual([]);
  });

  it('docs/architecture.md shows the same layering table as lint/layers.js (npm run docs:layers)', () => {
    const page = readFileSync(path.join(repoRoot, 'docs/architecture.md'), 'utf8');
    expect(page).toEqual(withLayersTable(page));
  });
});

describe('what lib/ loads', () => {
  // Lint sees direct imports only; the bundle sees everything lib/ pulls in, however indirectly.
  it('synthesizing the stack loads no runtime SDK, HTTP client or runtime layer', async () => {
    const result = await build({
      entryPoints: [path.join(repoRoot, 'bin/app.ts')],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    const runtimeOnly = inputs.filter((f) =>
      /^lambdas\/(workflow|transfer|handlers)\/|^lambdas\/providers\/[a-z]+\/(provider|marketo-api|http|download)\.ts$|^lambdas\/shared\/(secrets|logger)\.ts$/.test(
        f,
      ),
    );
    expect(runtimeOnly).toEqual([]);
    const imports = Object.values(result.metafile.inputs).flatMap((i) => i.imports.map((x) => x.path));
    expect(imports.filter((p) => /^(undici|@aws-sdk\/|hash-wasm|@aws-lambda-powertools\/)/.test(p))).toEqual([]);
  });
});
