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

/** What a prod synth must be given (it refuses to run without them); tests override them to see it refuse. */
export const PROD_REQUIRED_CONTEXT = { twilioFrom: '+442071838750', alarmEmail: 'cfm-ops@example.org' };

/**
 * Synths already made in this worker, by their arguments: tests only read them, and a synth with cdk-nag's checks
 * is the costliest step of the infra tier (the infra project shares modules between its files for this).
 */
const made = new Map<string, Synthesized>();

/**
 * Synthesizes the platform for a stage with the feature flags of cdk.json. Bundling is skipped unless asked for
 * (`aws:cdk:bundling-stacks: []`, which the functions' esbuild step honours as any CDK bundled asset does): the
 * templates are the same, only the asset contents differ. The same arguments give the same (shared) result,
 * except with `beforeSynth`, which changes the app.
 */
export function synthPlatform(
  stage: Stage,
  options: {
    bundle?: boolean;
    webDistDir?: string;
    webPublicDir?: string;
    /** CDK context for this synth, over the defaults (and, for prod, over `PROD_REQUIRED_CONTEXT`). */
    context?: Record<string, string>;
    beforeSynth?: (stacks: PlatformStacks) => void;
  } = {},
): Synthesized {
  const key = options.beforeSynth ? undefined : JSON.stringify([stage, options]);
  const earlier = key ? made.get(key) : undefined;
  if (earlier) return earlier;
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), `cfm-cdk-${stage}-`)),
    context: {
      ...cdkJsonContext(),
      stage,
      ...(stage === 'prod' ? PROD_REQUIRED_CONTEXT : {}),
      ...options.context,
      // As under the CDK CLI: resources name their asset directory in metadata.
      'aws:cdk:enable-asset-metadata': true,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  const stacks = addPlatformStacks(app, {
    webDistDir: options.webDistDir ?? NO_WEB_BUILD,
    webPublicDir: options.webPublicDir ?? NO_WEB_BUILD,
  });
  options.beforeSynth?.(stacks);
  const synthesized: Synthesized = {
    app,
    ...stacks,
    statefulTemplate: Template.fromStack(stacks.stateful),
    statelessTemplate: Template.fromStack(stacks.stateless),
  };
  if (key) made.set(key, synthesized);
  return synthesized;
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

/** The platform's functions (not CDK's own helper functions), by short name. */
export function platformFunctions(s: Synthesized) {
  const prefix = `cfm-${s.config.stage}-`;
  const byName = new Map<string, { id: string; props: Record<string, unknown> }>();
  for (const [id, fn] of Object.entries(resourcesOf(s.statelessTemplate, 'AWS::Lambda::Function'))) {
    const name = fn.Properties.FunctionName;
    if (typeof name === 'string' && name.startsWith(prefix)) {
      byName.set(name.slice(prefix.length), { id, props: fn.Properties ?? {} });
    }
  }
  return byName;
}

export const envOf = (props: Record<string, unknown>): Record<string, unknown> =>
  (props.Environment as { Variables: Record<string, unknown> }).Variables;
