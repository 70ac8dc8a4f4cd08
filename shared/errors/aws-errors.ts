/**
 * The one place where the AWS SDK's exceptions become the domain's coded errors. The DynamoDB and SNS facades
 * (shared/store/dynamodb.ts, shared/messaging/sns.ts) pass every failure through {@link fromAwsError}; nothing
 * else looks at an SDK exception. Messages are fixed texts: an AWS message can quote keys or values, so it is
 * never copied into an error that may reach a response or a log.
 */
import { DomainError } from './domain-error.ts';

/** A stored item, as the facades read and write it. */
type Item = Record<string, unknown>;

/** The AWS services the platform calls from its functions. */
export type AwsService = 'dynamodb' | 'sns' | 'sqs' | 'secretsmanager' | 'ssm';

/**
 * A conditional write found the item in another state. `item` is the item as it was, when the request asked for
 * it with `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'` (no second read needed).
 */
export class ConditionFailedError extends DomainError {
  readonly code = 'STORE.CONDITION_FAILED';
  readonly status = 409;
  constructor(readonly item?: Item) {
    super('The item is not in the state the change expected.');
  }
}

/**
 * A transaction was cancelled. `reasons[i]` is DynamoDB's code for the i-th action (`None` where that action was
 * not at fault, `ConditionalCheckFailed`, `TransactionConflict`, `ThrottlingError` …); `items[i]` is the item the
 * i-th action found, when that action asked for it with `ReturnValuesOnConditionCheckFailure`.
 */
export class TransactionCanceledError extends DomainError {
  readonly code = 'STORE.TRANSACTION_CANCELLED';
  readonly status = 409;
  constructor(
    readonly reasons: string[],
    readonly items: (Item | undefined)[] = [],
  ) {
    super(`The change was not made (${reasons.join(', ')}).`);
  }
}

/** AWS kept throttling after the SDK's retries: the caller may try again later. */
export class ThrottledError extends DomainError {
  readonly code = 'AWS.THROTTLED';
  readonly status = 503;
  constructor(readonly service: AwsService) {
    super('The service is busy; try again in a moment.');
  }
}

/** An item over DynamoDB's 400 KB limit. */
export class ItemTooLargeError extends DomainError {
  readonly code = 'STORE.ITEM_TOO_LARGE';
  readonly status = 413;
  constructor() {
    super('The record is too large to store.');
  }
}

/**
 * A value DynamoDB cannot hold as given: a JavaScript number outside the safe integer range (it may already have
 * lost digits; write a bigint instead), a non-finite number, an empty set, a function.
 */
export class UnstorableValueError extends DomainError {
  readonly code = 'STORE.VALUE_NOT_STORABLE';
  readonly status = 400;
  constructor() {
    super('A value cannot be stored exactly.');
  }
}

/** A stored number that no JavaScript value holds exactly (a decimal with more digits than a double keeps). */
export class NumberPrecisionError extends DomainError {
  readonly code = 'STORE.NUMBER_PRECISION';
  readonly status = 500;
  constructor() {
    super('A stored number cannot be read without losing precision.');
  }
}

/**
 * Any other AWS failure. `errorType` is the service's exception name (`InvalidParameter`, `ValidationException`
 * …), `clientFault` says whether AWS blamed the request (4xx) rather than itself, `requestId` is what AWS support
 * asks for. As an API answer it is a 503 for a service fault and a 500 for our own bad request.
 */
export class AwsServiceError extends DomainError {
  readonly code: string;
  readonly status: number;
  constructor(
    readonly service: AwsService,
    readonly errorType: string,
    readonly clientFault: boolean,
    readonly requestId?: string,
  ) {
    super(`${service} failed (${errorType}).`);
    this.code = `AWS.${service.toUpperCase()}_FAILED`;
    this.status = clientFault ? 500 : 503;
  }
}

/** What the SDK puts on every service exception (`@smithy/smithy-client`'s ServiceException), read by shape. */
interface SdkException {
  name: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $retryable?: { throttling?: boolean };
  Item?: Record<string, unknown>;
  CancellationReasons?: { Code?: string; Item?: Record<string, unknown> }[];
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

const isSdkException = (err: unknown): err is SdkException =>
  err instanceof Error && typeof (err as SdkException).$metadata === 'object';

/**
 * Maps an error thrown by an SDK client's `send` to the domain's error. `readItem` turns the DynamoDB JSON an
 * exception carries (the item a failed condition found) into a plain item. Errors that are not AWS responses
 * (a network fault after the retries, a bug) are returned unchanged.
 */
export function fromAwsError(
  err: unknown,
  service: AwsService,
  readItem: (raw: Record<string, unknown>) => Item = (raw) => raw,
): unknown {
  if (err instanceof DomainError || !isSdkException(err)) return err;
  if (err.name === 'ConditionalCheckFailedException') {
    return new ConditionFailedError(err.Item ? readItem(err.Item) : undefined);
  }
  if (err.name === 'TransactionCanceledException') {
    const reasons = err.CancellationReasons ?? [];
    return new TransactionCanceledError(
      reasons.map((r) => r.Code ?? 'None'),
      reasons.map((r) => (r.Item ? readItem(r.Item) : undefined)),
    );
  }
  if (THROTTLING.has(err.name) || err.$retryable?.throttling) return new ThrottledError(service);
  if (err.name === 'ValidationException' && /item size/i.test(err.message ?? ''))
    return new ItemTooLargeError();
  const status = err.$metadata?.httpStatusCode;
  const clientFault = err.$fault === 'client' || (status !== undefined && status >= 400 && status < 500);
  return new AwsServiceError(service, err.name, clientFault, err.$metadata?.requestId);
}
