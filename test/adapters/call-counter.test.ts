import { Readable } from 'node:stream';
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { countCalls, createCallCounter } from '../../lambdas/adapters/call-counter.js';

const SUMMARY_XML =
  '<GetAccountSummaryResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetAccountSummaryResult><SummaryMap><entry><key>Users</key><value>3</value></entry></SummaryMap></GetAccountSummaryResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetAccountSummaryResponse>';
const THROTTLED_XML =
  '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>';

/** An IAM client whose HTTP layer answers from a list, so the real middleware stack runs. */
function clientAnswering(statuses: number[]): IAMClient {
  return new IAMClient({
    region: 'us-east-1',
    credentials: {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    },
    maxAttempts: 3,
    retryStrategy: undefined,
    requestHandler: {
      handle: async () => {
        const statusCode = statuses.shift() ?? 200;
        const body = statusCode === 200 ? SUMMARY_XML : THROTTLED_XML;
        return {
          response: {
            statusCode,
            headers: { 'content-type': 'text/xml' },
            body: Readable.from([Buffer.from(body)]),
          },
        };
      },
    },
  });
}

describe('call counter middleware', () => {
  it('counts one call per request, by client and command', async () => {
    // Prepare
    const counter = createCallCounter();
    const iam = clientAnswering([200, 200]);
    countCalls(iam, counter);

    // Act
    await iam.send(new GetAccountSummaryCommand({}));
    await iam.send(new GetAccountSummaryCommand({}));

    // Assess
    expect(counter.total()).toBe(2);
    expect(counter.byOperation()).toEqual({ 'IAMClient.GetAccountSummaryCommand': 2 });
  });

  it('counts each attempt of a retried call, since each counts against the rate limit', async () => {
    const counter = createCallCounter();
    const iam = clientAnswering([400, 200]);
    countCalls(iam, counter);

    const result = await iam.send(new GetAccountSummaryCommand({}));

    expect(result.SummaryMap?.Users).toBe(3);
    expect(counter.total()).toBe(2);
  });
});
