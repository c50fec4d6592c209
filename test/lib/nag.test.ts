// cdk-nag as a unit test (data-solutions-framework's pattern): synthesize the app exactly as
// bin/app.ts does, with the AwsSolutions pack registered, and require zero unacknowledged findings.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Validations, type App } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { addPipeline } from '../../bin/app';
import { DEFAULT_CONFIG_PATH, loadPipelineConfig, type PipelineConfig } from '../../lib/config';
import { repoRoot, testApp, testConfig } from './support/test-app';

interface ValidationReport {
  readonly pluginReports: readonly {
    readonly pluginName: string;
    readonly violations: readonly {
      readonly ruleName: string;
      readonly violatingConstructs: readonly { readonly constructPath: string }[];
    }[];
  }[];
}

/** Every finding the validation plugins report, as "rule at construct path" (empty when synth succeeds). */
function findings(app: App): string[] {
  try {
    app.synth();
    return [];
  } catch (error) {
    const reportFile = path.join(app.outdir, 'validation-report.json');
    if (!existsSync(reportFile)) throw error;
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as ValidationReport;
    return report.pluginReports.flatMap((plugin) =>
      plugin.violations.flatMap((violation) =>
        violation.violatingConstructs.map((construct) => `${violation.ruleName} at ${construct.constructPath}`),
      ),
    );
  }
}

function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );
}

function appWith(config: PipelineConfig): App {
  const app = testApp();
  addPipeline(app, config);
  return app;
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in the app built from the demo config', () => {
    const app = appWith(loadPipelineConfig(path.join(repoRoot, DEFAULT_CONFIG_PATH)));
    expect(findings(app)).toEqual([]);
    // Every acknowledgement names one finding and says why.
    for (const acknowledgement of acknowledgements(app)) {
      expect(acknowledgement.reason.length, `${acknowledgement.id} at ${acknowledgement.path}`).toBeGreaterThanOrEqual(
        20,
      );
      if (acknowledgement.id.includes('IAM5')) expect(acknowledgement.id, acknowledgement.path).toMatch(/IAM5\[.+\]$/);
    }
  });

  it('finds nothing unacknowledged when data is not retained and alarms notify by e-mail', () => {
    const app = appWith(testConfig({ retainData: false, alarmEmail: 'ops@example.com' }));
    expect(findings(app)).toEqual([]);
  });

  it('finds nothing unacknowledged with a rejects table (an export with badValues "null")', () => {
    const config = testConfig();
    const app = appWith({ ...config, exports: config.exports.map((e) => ({ ...e, badValues: 'null' as const })) });
    expect(findings(app)).toEqual([]);
  });
});
