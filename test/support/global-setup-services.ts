import type { TestProject } from 'vitest/node';
import { startDynamoLocal } from '#local/dynamodb-local.ts';
import { freePort } from '#local/ports.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    messagingPort: number;
  }
}

/**
 * Integration tier: one DynamoDB Local (in memory) and one SNS/SQS emulator for the whole run, on free ports.
 * Each test file creates its own table (see services.ts), so files never see each other's data.
 */
export default async function setup(project: TestProject) {
  const dynamo = await startDynamoLocal({ port: await freePort() });
  project.provide('dynamoEndpoint', dynamo.endpoint);
  const messagingPort = await freePort();
  project.provide('messagingPort', messagingPort);
  return async () => {
    await dynamo.stop();
  };
}
