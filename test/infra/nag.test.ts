import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { SynthesisMessage } from 'aws-cdk-lib/cx-api';
import { describe, expect, it } from 'vitest';
import type { PlatformStacks } from '../../infra/platform-app.ts';
import { synthPlatform } from './synth.ts';

/** cdk-nag's unsuppressed AWS Solutions findings on a stack, as `<rule>: <path>` lines (readable on failure). */
function findings(stack: Stack): { errors: string[]; warnings: string[] } {
  const annotations = Annotations.fromStack(stack);
  const show = (list: SynthesisMessage[]) =>
    list.map((m) => `${String(m.entry.data).split(':')[0]} at ${m.id}`);
  return {
    errors: show(annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))),
    warnings: show(annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))),
  };
}

describe.each(['dev', 'prod'] as const)('cdk-nag AwsSolutions (%s)', (stage) => {
  it('reports no unsuppressed error or warning on either stack', () => {
    const s = synthPlatform(stage);
    expect(findings(s.stateful)).toEqual({ errors: [], warnings: [] });
    expect(findings(s.stateless)).toEqual({ errors: [], warnings: [] });
  });

  it('reports none with the web app deployed either (the BucketDeployment singleton is covered)', () => {
    const dist = mkdtempSync(join(tmpdir(), 'cfm-web-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
    const s = synthPlatform(stage, { webDistDir: dist });
    expect(findings(s.stateless)).toEqual({ errors: [], warnings: [] });
  });

  it('fails the synth on a violation it is meant to find (the checks are really applied)', () => {
    const addUnprotectedQueue = ({ stateless }: PlatformStacks) => {
      new Queue(stateless, 'UnprotectedQueueForTest', { enforceSSL: false });
    };
    expect(() => synthPlatform(stage, { beforeSynth: addUnprotectedQueue })).toThrow(/AwsSolutions-SQS4/);
  });
});
