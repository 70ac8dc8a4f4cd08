import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/constructs/platform-function.ts';
import { synthPlatform } from './synth.ts';

/** The regions the platform may be deployed to: the docs' choice, its fallback, and CloudFront's home. */
const REGIONS = ['eu-central-1', 'me-central-1', 'us-east-1'];

interface Finding {
  Rule: { Id: string };
  Level: 'Error' | 'Warning' | 'Informational';
  Message: string;
  Filename: string;
  Location: { Path: (string | number)[] };
}

/**
 * Runs cfn-lint on templates for every region and returns its findings. A missing cfn-lint fails the test with
 * what to install: the check must never pass by not running.
 */
function cfnLint(files: string[]): Finding[] {
  const version = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    throw new Error(
      'cfn-lint is not installed, so the templates cannot be linted. Install it (pip install cfn-lint==1.51.0); CI images have it.',
    );
  }
  const run = spawnSync('cfn-lint', ['--format', 'json', '--regions', ...REGIONS, '--', ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  // cfn-lint exits non-zero when it finds anything (2 errors, 4 warnings, 8 informational); its JSON says what.
  if (run.error || !run.stdout.trim().startsWith('[')) {
    throw new Error(`cfn-lint did not run: ${run.error?.message ?? run.stderr}`);
  }
  return JSON.parse(run.stdout) as Finding[];
}

const show = (f: Finding) =>
  `${f.Rule.Id} ${f.Filename.split('/').pop()} ${f.Location.Path.join('/')}: ${f.Message}`;

describe(`cfn-lint on the synthesised templates (${REGIONS.join(', ')})`, () => {
  const files: string[] = [];

  beforeAll(() => {
    // The widest templates: the web content deployed (its custom resources) and, in prod, a custom domain.
    const webDist = mkdtempSync(join(tmpdir(), 'cfm-web-dist-'));
    writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>console</title>');
    const webPublicDir = join(PROJECT_ROOT, 'web', 'public');
    for (const [stage, context] of [
      ['dev', {}],
      [
        'prod',
        {
          webDomainName: 'cfm.example.org',
          webCertificateArn:
            'arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
          alarmTopicArn: 'arn:aws:sns:me-central-1:123456789012:cfm-chatbot',
        },
      ],
    ] as const) {
      const s = synthPlatform(stage, { webDistDir: webDist, webPublicDir, context });
      const dir = s.app.synth().directory;
      files.push(
        join(dir, `${s.stateful.artifactId}.template.json`),
        join(dir, `${s.stateless.artifactId}.template.json`),
      );
    }
  });

  it('reports no error for either stage, either stack, in any of the regions', () => {
    const errors = cfnLint(files).filter((f) => f.Level === 'Error');
    expect(errors.map(show)).toEqual([]);
  });

  it('does report an error it is meant to find (Tags on a dashboard, refused in me-central-1)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfm-cfn-lint-'));
    const file = join(dir, 'tagged-dashboard.template.json');
    writeFileSync(
      file,
      JSON.stringify({
        Resources: {
          Board: {
            Type: 'AWS::CloudWatch::Dashboard',
            Properties: { DashboardBody: '{"widgets":[]}', Tags: [{ Key: 'project', Value: 'cfm' }] },
          },
        },
      }),
    );
    const errors = cfnLint([file]).filter((f) => f.Level === 'Error');
    expect(errors.map((f) => f.Rule.Id)).toContain('E3002');
  });
});
