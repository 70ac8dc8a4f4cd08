import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type App, Aspects, Tags } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { nameFor, type StageConfig, stageConfigFrom } from './config.ts';
import { PROJECT_ROOT } from './constructs/platform-function.ts';
import { StatefulStack } from './stacks/stateful-stack.ts';
import { StatelessStack } from './stacks/stateless-stack.ts';

/** Resource types the app creates that do not take Tags in every region it may be deployed to. */
export const UNTAGGABLE_TYPES = ['AWS::CloudWatch::Dashboard', 'AWS::CloudFront::Function'] as const;

export interface PlatformStacks {
  config: StageConfig;
  stateful: StatefulStack;
  stateless: StatelessStack;
}

/**
 * Adds the platform's stacks for the stage in the app's context to `app`, with cdk-nag's AWS Solutions checks on
 * every stack. `infra/app.ts` calls it under the CDK CLI; the infra tests call it on an App of their own.
 */
export function addPlatformStacks(
  app: App,
  options: { webDistDir?: string; webPublicDir?: string } = {},
): PlatformStacks {
  const config = stageConfigFrom(app.node);
  // Env-agnostic unless the CLI knows the target account and region (it does when a profile is configured).
  const env =
    process.env.CDK_DEFAULT_ACCOUNT && process.env.CDK_DEFAULT_REGION
      ? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }
      : undefined;
  const stateful = new StatefulStack(app, nameFor(config, 'stateful'), {
    config,
    env,
    description: `CFM ${config.stage}: table, key, topic, secret, user pool (retained in prod)`,
    terminationProtection: config.retainData,
  });
  const stateless = new StatelessStack(app, nameFor(config, 'stateless'), {
    config,
    env,
    description: `CFM ${config.stage}: functions, HTTP API, queues, schedules, web hosting, monitoring`,
    stateful,
    webDistDir: options.webDistDir,
    webPublicDir: options.webPublicDir,
  });
  stateless.addStackDependency(stateful);
  for (const stack of [stateful, stateless]) {
    // CDK's tag aspect thinks these types take Tags; CloudFormation's schemas for some regions (me-central-1 and
    // us-east-1 among them) refuse them, which cfn-lint reports as E3002.
    const excludeResourceTypes = [...UNTAGGABLE_TYPES];
    Tags.of(stack).add('project', 'cfm', { excludeResourceTypes });
    Tags.of(stack).add('stage', config.stage, { excludeResourceTypes });
    Aspects.of(stack).add(new AwsSolutionsChecks({ verbose: true }));
  }
  return { config, stateful, stateless };
}

/** The `context` of cdk.json (feature flags), for Apps created outside the CDK CLI, such as in tests. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}
