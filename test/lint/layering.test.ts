// The layering rules of eslint.config.js, probed: each probe is an import a layer must not make, linted
// as if it lived at that path. Weakening or removing a rule makes its probe pass lint, and this test fail.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const eslint = new ESLint({ cwd: repoRoot });

async function restrictedImports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath: path.join(repoRoot, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

const FORBIDDEN: readonly { file: string; code: string; why: string }[] = [
  { file: 'lib/probe.ts', code: "import { runtimeFromEnvironment } from '../lambdas/workflow/lambda-runtime'; void runtimeFromEnvironment;", why: 'lib/ loading the runtime (S3 SDK)' },
  { file: 'lib/constructs/probe.ts', code: "import { createProvider } from '../../lambdas/providers/registry'; void createProvider;", why: 'lib/ loading the provider registry (HTTP clients)' },
  { file: 'lib/probe.ts', code: "import { createMarketoProvider } from '../lambdas/providers/marketo/provider'; void createMarketoProvider;", why: 'lib/ loading a provider client' },
  { file: 'lib/probe.ts', code: "import { runExport } from '../local/run-export'; void runExport;", why: 'lib/ loading local tools' },
  { file: 'lambdas/providers/marketo/probe.ts', code: "import { S3ObjectStore } from '../../transfer/s3-object-store'; void S3ObjectStore;", why: 'a provider loading transfer/' },
  { file: 'lambdas/providers/marketo/probe.ts', code: "import { withRuntime } from '../../workflow/runtime'; void withRuntime;", why: 'a provider loading workflow/' },
  { file: 'lambdas/providers/marketo/probe.ts', code: "import { createClickwrapProvider } from '../clickwrap/provider'; void createClickwrapProvider;", why: 'a provider loading another provider' },
  { file: 'lambdas/providers/clickwrap/probe.ts', code: "import { bulkPaths } from '../marketo/bulk-endpoint'; void bulkPaths;", why: 'a provider loading another provider' },
  { file: 'lambdas/providers/clickwrap/probe.ts', code: "import { S3Client } from '@aws-sdk/client-s3'; void S3Client;", why: 'a provider loading the AWS SDK' },
  { file: 'lambdas/providers/marketo/probe.ts', code: "import { createProvider } from '../registry'; void createProvider;", why: 'a provider loading the registry (a cycle)' },
  { file: 'lambdas/shared/probe.ts', code: "import { plan } from '../workflow/steps/plan'; void plan;", why: 'shared/ loading workflow/ (a cycle)' },
  { file: 'lambdas/shared/probe.ts', code: "import { handler } from '../handlers/plan'; void handler;", why: 'shared/ loading handlers/ (a cycle)' },
  { file: 'lambdas/shared/probe.ts', code: "import { PROVIDER_DESCRIPTORS } from '../providers/descriptors'; void PROVIDER_DESCRIPTORS;", why: 'shared/ loading providers/' },
  { file: 'lambdas/transfer/probe.ts', code: "import { withRuntime } from '../workflow/runtime'; void withRuntime;", why: 'transfer/ loading workflow/' },
  { file: 'lambdas/transfer/probe.ts', code: "import { createMarketoProvider } from '../providers/marketo'; void createMarketoProvider;", why: 'transfer/ loading a provider' },
  { file: 'lambdas/workflow/probe.ts', code: "import { handler } from '../handlers/plan'; void handler;", why: 'workflow/ loading handlers/' },
  { file: 'lambdas/handlers/probe.ts', code: "import { transferChunk } from '../transfer/transfer-chunk'; void transferChunk;", why: 'a handler reaching past workflow/' },
  { file: 'lambdas/workflow/probe.ts', code: "import { Duration } from 'aws-cdk-lib'; void Duration;", why: 'runtime loading CDK' },
  { file: 'lambdas/providers/probe.ts', code: "import { Construct } from 'constructs'; void Construct;", why: 'runtime loading CDK' },
  { file: 'local/simulators/marketo/probe.ts', code: "import { validateMarketoRequest } from '../../../lambdas/providers/marketo/request'; void validateMarketoRequest;", why: "a simulator sharing the client's beliefs" },
  { file: 'local/simulators/probe.ts', code: "import { PROVIDER_NAMES } from '../../lambdas/shared/provider-names'; void PROVIDER_NAMES;", why: 'a simulator importing runtime values' },
  { file: 'lib/probe.ts', code: "import { undoWindows } from '../lambdas/window/undo-window'; void undoWindows;", why: "lib/ loading a window's undo (runtime)" },
  { file: 'lambdas/window/probe.ts', code: "import { getRuntime } from '../workflow/runtime'; void getRuntime;", why: 'window/ loading workflow/' },
  { file: 'lambdas/window/probe.ts', code: "import { createProvider } from '../providers/registry'; void createProvider;", why: 'window/ building a provider' },
  { file: 'lambdas/curated/probe.ts', code: "import { undoWindows } from '../window/undo-window'; void undoWindows;", why: "curated/ undoing a window" },
  { file: 'lambdas/providers/probe.ts', code: "import { readManifest } from '../window/manifest'; void readManifest;", why: "providers reading a window's manifest" },
  { file: 'lambdas/transfer/probe.ts', code: "import { BUCKET_PREFIXES } from '../window/bucket-layout'; void BUCKET_PREFIXES;", why: 'transfer/ knowing the bucket layout' },
  { file: 'lambdas/shared/probe.ts', code: "import { tableNameOf } from '../window/table-names'; void tableNameOf;", why: 'shared/ importing window/' },
];

const ALLOWED: readonly { file: string; code: string }[] = [
  { file: 'lib/probe.ts', code: "import { tableLayout } from '../lambdas/providers/descriptors'; void tableLayout;" },
  { file: 'lib/probe.ts', code: "import { MARKETO_DESCRIPTOR } from '../lambdas/providers/marketo/descriptor'; void MARKETO_DESCRIPTOR;" },
  { file: 'lib/probe.ts', code: "import { BUCKET_PREFIXES } from '../lambdas/window/bucket-layout'; void BUCKET_PREFIXES;" },
  { file: 'lib/probe.ts', code: "import { tableNameOf } from '../lambdas/window/table-names'; void tableNameOf;" },
  { file: 'lambdas/providers/probe.ts', code: "import { PARTITION_COLUMN } from '../window/bucket-layout'; void PARTITION_COLUMN;" },
  { file: 'lambdas/workflow/probe.ts', code: "import { undoWindows } from '../window/undo-window'; void undoWindows;" },
  { file: 'lib/probe.ts', code: "import type { TaskInputs } from '../lambdas/workflow/state'; export type T = TaskInputs;" },
  { file: 'lambdas/providers/marketo/probe.ts', code: "import { ValidationError } from '../../shared/errors'; void ValidationError;" },
  { file: 'lambdas/providers/probe.ts', code: "import { MARKETO_DESCRIPTOR } from './marketo/descriptor'; void MARKETO_DESCRIPTOR;" },
  { file: 'lambdas/handlers/probe.ts', code: "import { plan } from '../workflow/steps/plan'; void plan;" },
  { file: 'local/simulators/probe.ts', code: "import type { ProviderName } from '../../lambdas/shared/provider-names'; export type P = ProviderName;" },
];

describe('layering lint rules', () => {
  it.each(FORBIDDEN)('refuses $why ($file)', async ({ file, code }) => {
    expect(await restrictedImports(file, code)).not.toEqual([]);
  });

  it.each(ALLOWED)('allows $code in $file', async ({ file, code }) => {
    expect(await restrictedImports(file, code)).toEqual([]);
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
    const runtimeOnly = inputs.filter((f) => /^lambdas\/(workflow|transfer|handlers)\/|^lambdas\/providers\/[a-z]+\/(provider|marketo-api|http|download)\.ts$|^lambdas\/shared\/(secrets|logger)\.ts$/.test(f));
    expect(runtimeOnly).toEqual([]);
    const imports = Object.values(result.metafile.inputs).flatMap((i) => i.imports.map((x) => x.path));
    expect(imports.filter((p) => /^(undici|@aws-sdk\/|hash-wasm|@aws-lambda-powertools\/)/.test(p))).toEqual([]);
  });
});
