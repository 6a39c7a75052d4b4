import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { HANDLERS, lambdaBuildOptions } from '../../bench/cold-start.js';
import { ROOT } from '../cli/spawn-cli.js';

/**
 * What each Lambda bundle holds, built with the construct's options (as the benchmark does, in
 * memory): the bundle's size and cold start depend on it (BENCHMARKS.md, section 3), and one
 * stray import (classic `zod`, a client the function never calls) would silently add to both.
 */

const built = new Map<string, Promise<string[]>>();

/** Files of the bundle's code: inputs with bytes in the output, not those tree-shaking dropped. */
function bundledFiles(handler: string): Promise<string[]> {
  // Each handler is built once for all the tests below.
  let files = built.get(handler);
  if (files === undefined) {
    files = build(handler);
    built.set(handler, files);
  }
  return files;
}

async function build(handler: string): Promise<string[]> {
  const options = lambdaBuildOptions(
    ROOT,
    join('lambdas', handler, 'handler.ts'),
    join(ROOT, 'bench', 'out', 'never-written', handler, 'index.mjs'),
  );
  const { metafile } = await esbuild.build({ ...options, write: false });
  const output = Object.values(metafile?.outputs ?? {}).find((o) => o.entryPoint !== undefined);
  return Object.entries(output?.inputs ?? {})
    .filter(([, info]) => info.bytesInOutput > 0)
    .map(([path]) => path);
}

const CLIENT_CLASSES = {
  iam: 'client-iam/dist-es/IAMClient.js',
  sts: 'client-sts/dist-es/STSClient.js',
  cloudTrail: 'client-cloudtrail/dist-es/CloudTrailClient.js',
  s3: 'client-s3/dist-es/S3Client.js',
  logs: 'client-cloudwatch-logs/dist-es/CloudWatchLogsClient.js',
  sns: 'client-sns/dist-es/SNSClient.js',
  dynamoDb: 'client-dynamodb/dist-es/DynamoDBClient.js',
  secrets: 'client-secrets-manager/dist-es/SecretsManagerClient.js',
} as const;

/**
 * Code only the CloudTrail and workload-log streams use, which the key scan reads neither of:
 * any file of the three SDK packages (commands and their serializers, not only the client
 * class), and the streams themselves.
 */
const STREAM_CODE = [
  'node_modules/@aws-sdk/client-cloudtrail/',
  'node_modules/@aws-sdk/client-s3/',
  'node_modules/@aws-sdk/client-cloudwatch-logs/',
  'lambdas/sources/live/live-sources.ts',
] as const;

function clientsIn(files: readonly string[]): string[] {
  return Object.entries(CLIENT_CLASSES)
    .filter(([, file]) => files.some((path) => path.endsWith(`node_modules/@aws-sdk/${file}`)))
    .map(([name]) => name)
    .sort();
}

describe('Lambda bundles', () => {
  it.each(HANDLERS)('%s holds no classic zod (zod/mini only)', async (handler) => {
    // Act
    const files = await bundledFiles(handler);

    // Assess
    expect(files.filter((path) => path.includes('node_modules/zod/v4/classic/'))).toEqual([]);
  });

  it.each([
    ['key-scan', ['dynamoDb', 'iam', 'sns', 'sts']],
    ['trail-watch', ['cloudTrail', 'dynamoDb', 'iam', 'logs', 's3', 'sns', 'sts']],
    ['audit', ['cloudTrail', 'iam', 'logs', 's3', 'sns', 'sts']],
    ['slack-notify', ['secrets']],
  ])('%s builds only the clients it calls: %j', async (handler, expected) => {
    // Act
    const files = await bundledFiles(handler);

    // Assess
    expect(clientsIn(files)).toEqual(expected);
  });

  it('key-scan holds no CloudTrail, S3 or Logs SDK code and no stream reader', async () => {
    // Act
    const files = await bundledFiles('key-scan');

    // Assess
    expect(files.filter((path) => STREAM_CODE.some((part) => path.includes(part)))).toEqual([]);
  });

  it('slack-notify carries no config validation at all', async () => {
    // Act
    const files = await bundledFiles('slack-notify');

    // Assess
    expect(files.filter((path) => path.includes('node_modules/zod/'))).toEqual([]);
  });
});
