/**
 * How a replay hands an event to one of the platform's functions and learns whether it succeeded: in AWS through
 * Lambda's Invoke (RequestResponse, so the answer is the function's own), locally through the local stack, which
 * calls the same handler its stream pollers call (`POST /dev/stream-consumers/<name>`).
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import * as z from 'zod';
import { resourceName } from '#shared/messaging/topology.ts';
import { parseJson } from './dlq-messages.ts';

export interface InvokeOutcome {
  /** Set when the function failed (threw, timed out): Lambda's `FunctionError`, with the error's type if known. */
  functionError?: string;
  /** The records a stream consumer reported as failed. */
  batchItemFailures: { itemIdentifier: string }[];
}

/** Invokes a worker of the stage (`router`, `sweeper`, ...) with an event, and says how it went. */
export type Invoker = (worker: string, event: unknown) => Promise<InvokeOutcome>;

const FunctionAnswer = z
  .looseObject({
    batchItemFailures: z.array(z.object({ itemIdentifier: z.string() })).optional(),
    functionError: z.string().optional(),
    errorType: z.string().optional(),
  })
  .nullish();

/** Lambda events carry binary attributes in base64, as the Streams API's JSON does. */
export const eventJson = (event: unknown): string =>
  JSON.stringify(event, (_k, v: unknown) =>
    v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
  );

function outcomeOf(answer: unknown, functionError?: string): InvokeOutcome {
  const parsed = FunctionAnswer.safeParse(answer);
  const a = parsed.success ? parsed.data : undefined;
  const error = functionError ?? a?.functionError;
  const type = a?.errorType;
  return {
    ...(error ? { functionError: type ? `${error}: ${type}` : error } : {}),
    batchItemFailures: a?.batchItemFailures ?? [],
  };
}

/** `cfm-<stage>-<worker>` through Lambda's Invoke API, waiting for its answer. */
export function lambdaInvoker(lambda: LambdaClient, stage: string): Invoker {
  return async (worker, event) => {
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: resourceName(stage, worker),
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(eventJson(event)),
      }),
    );
    const answer = out.Payload?.length ? parseJson(new TextDecoder().decode(out.Payload)) : undefined;
    return outcomeOf(answer, out.FunctionError);
  };
}

/** The local stack's stream consumers, as the local admin. */
export function localInvoker(url: string, bearer: string): Invoker {
  return async (worker, event) => {
    const res = await fetch(`${url}/dev/stream-consumers/${encodeURIComponent(worker)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: eventJson(event),
    });
    if (!res.ok) return { functionError: `the local stack answered ${res.status}`, batchItemFailures: [] };
    return outcomeOf(await res.json());
  };
}
