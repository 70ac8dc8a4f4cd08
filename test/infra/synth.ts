import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { Stage } from '../../infra/config.ts';
import { addPlatformStacks, cdkJsonContext, type PlatformStacks } from '../../infra/platform-app.ts';

export interface Synthesized extends PlatformStacks {
  app: App;
  statefulTemplate: Template;
  statelessTemplate: Template;
}

/** A web build directory that does not exist, so tests do not depend on whether `web/dist` was built. */
export const NO_WEB_BUILD = join(tmpdir(), 'cfm-infra-test-no-web-dist');

/**
 * Synthesizes the platform for a stage with the feature flags of cdk.json. Bundling is skipped unless asked for
 * (`aws:cdk:bundling-stacks: []`, which the functions' esbuild step honours as any CDK bundled asset does): the
 * templates are the same, only the asset contents differ.
 */
export function synthPlatform(
  stage: Stage,
  options: {
    bundle?: boolean;
    webDistDir?: string;
    beforeSynth?: (stacks: PlatformStacks) => void;
    /** More context, as `--context key=value` on the command line. */
    context?: Record<string, string>;
  } = {},
): Synthesized {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), `cfm-cdk-${stage}-`)),
    context: {
      ...cdkJsonContext(),
      stage,
      // As under the CDK CLI: resources name their asset directory in metadata.
      'aws:cdk:enable-asset-metadata': true,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  const stacks = addPlatformStacks(app, { webDistDir: options.webDistDir ?? NO_WEB_BUILD });
  options.beforeSynth?.(stacks);
  return {
    app,
    ...stacks,
    statefulTemplate: Template.fromStack(stacks.stateful),
    statelessTemplate: Template.fromStack(stacks.stateless),
  };
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown>; [k: string]: unknown }>;

/** The resources of one type in a template, by logical id (with `Properties` always present). */
export function resourcesOf(template: Template, type: string): Resources {
  const found = template.findResources(type) as Record<
    string,
    { Type: string; Properties?: Record<string, unknown> }
  >;
  return Object.fromEntries(
    Object.entries(found).map(([id, r]) => [id, { ...r, Properties: r.Properties ?? {} }]),
  ) as Resources;
}

/** A `{ Ref }` / `{ Fn::GetAtt }` to a logical id, as CloudFormation writes it, reduced to the id. */
export function refId(value: unknown): string | undefined {
  if (value && typeof value === 'object') {
    const v = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
    if (typeof v.Ref === 'string') return v.Ref;
    if (Array.isArray(v['Fn::GetAtt'])) return v['Fn::GetAtt'][0];
  }
  return undefined;
}
