// The house defaults for every handler Lambda, in one place (the Powertools example's pattern):
// esbuild-bundled ESM, latest Node runtime, ARM64, active tracing, a retained log group, JSON logs.
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface HandlerFunctionProps {
  /** File name under lambdas/handlers/ without extension, e.g. `transfer-chunk`. */
  readonly handler: string;
  readonly description: string;
  /** @default Duration.minutes(1) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  readonly environment?: Record<string, string>;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * `process.env.<NAME>` expressions replaced by these texts when the handler is bundled: values fixed
   * at deploy time without the 4 KB limit of environment variables, and not changeable at run time.
   */
  readonly bundledEnvironment?: Readonly<Record<string, string>>;
}

export class HandlerFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Not the managed AWSLambdaBasicExecutionRole (log writes on every group of the account): the
    // function may write its own log group, nothing else.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description} (function role)`,
      inlinePolicies: {
        OwnLogs: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [`${logGroup.logGroupArn}:*`],
            }),
          ],
        }),
      },
    });
    super(scope, id, {
      role,
      entry: path.join(repoRoot, 'lambdas', 'handlers', `${props.handler}.ts`),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_LATEST,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout ?? Duration.minutes(1),
      memorySize: props.memorySize ?? 512,
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      projectRoot: repoRoot,
      depsLockFilePath: path.join(repoRoot, 'package-lock.json'),
      environment: {
        POWERTOOLS_SERVICE_NAME: 'bulk-export',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        // ESM bundles need `require` for the few CommonJS dependencies that call it.
        banner: "import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);",
        externalModules: [],
        define: Object.fromEntries(
          Object.entries(props.bundledEnvironment ?? {}).map(([name, value]) => [
            `process.env.${name}`,
            JSON.stringify(value),
          ]),
        ),
      },
    });
  }
}
