import { InternalErrorException, InvalidParameterException, ThrottledException } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { AwsServiceError, fromAwsError, ThrottledError } from '#shared/errors/aws-errors.ts';
import { ConflictError } from '#shared/errors/domain-error.ts';

const metadata = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'req-1234' });

describe("the SDK's exceptions as the domain's coded errors", () => {
  it('a refused request is a client fault with the exception name and the request id, and no AWS message', () => {
    const err = fromAwsError(
      new InvalidParameterException({
        message: 'Invalid parameter: Endpoint +9647701234567',
        $metadata: metadata(400),
      }),
      'sns',
    );
    expect(err).toBeInstanceOf(AwsServiceError);
    expect(err).toMatchObject({
      code: 'AWS.SNS_FAILED',
      status: 500,
      errorType: 'InvalidParameterException',
      clientFault: true,
      requestId: 'req-1234',
    });
    // The AWS message may quote a phone number or a key: it is never carried over.
    expect((err as Error).message).not.toContain('9647701234567');
    expect(JSON.stringify(err)).not.toContain('9647701234567');
  });

  it("AWS's own fault is a 503 the caller may retry later", () => {
    const err = fromAwsError(
      new InternalErrorException({ message: 'Internal', $metadata: metadata(500) }),
      'sns',
    );
    expect(err).toMatchObject({ code: 'AWS.SNS_FAILED', status: 503, clientFault: false });
  });

  it('throttling left after the retries is AWS.THROTTLED', () => {
    const err = fromAwsError(
      new ThrottledException({ message: 'Rate exceeded', $metadata: metadata(400) }),
      'sns',
    );
    expect(err).toBeInstanceOf(ThrottledError);
    expect(err).toMatchObject({ code: 'AWS.THROTTLED', status: 503, service: 'sns' });
  });

  it('leaves errors that are not AWS answers as they are', () => {
    const network = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(fromAwsError(network, 'sns')).toBe(network);
    const domain = new ConflictError('CASE.VERSION_CONFLICT', 'stale');
    expect(fromAwsError(domain, 'dynamodb')).toBe(domain);
  });
});
