import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { createRandom, type Random } from './random.js';

const gzipAsync = promisify(gzip);

/**
 * Generates an export directory (`credhealth audit --from-dir`) holding a seeded, realistic
 * CloudTrail trail: gzipped `{"Records":[…]}` files of 1–5k records in the S3 delivery layout
 * (`AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/…json.gz`), plus the credential report and
 * access keys of a 1,000-user account the trail's keys belong to.
 *
 * The mix, per record: mostly successful calls by roles, users and services; some AccessDenied;
 * STS issuances; a few console sign-ins (some failing), key lifecycle calls, root activity,
 * anonymous S3 denials and quarantine policies. Output is cached: a `stamp.json` with the seed
 * and size makes a second call with the same arguments return at once.
 */

/** The account every generated record belongs to (the demo account's). */
export const BENCH_ACCOUNT = '111122223333';
/** The audit instant the generated trail is laid out around: its 24 h window ends here. */
export const BENCH_NOW = new Date('2026-11-20T12:00:00Z');
const WINDOW_MS = 24 * 3_600_000;
const USERS = 1_000;
const REGIONS = ['us-east-1', 'eu-west-1'] as const;
const STAMP = 'stamp.json';
const GENERATOR_VERSION = 2;

export interface GeneratedTrail {
  readonly dir: string;
  readonly events: number;
  readonly files: number;
  /** Bytes of the gzipped files. */
  readonly bytes: number;
  /** True when an earlier run's output was reused. */
  readonly cached: boolean;
}

/**
 * Writes (or reuses) `root/trail-<events>-<seed>/`, an export directory of `events` CloudTrail
 * records.
 */
export async function generateTrail(
  root: string,
  events: number,
  seed: number,
): Promise<GeneratedTrail> {
  const dir = join(root, `trail-${events}-${seed}`);
  const stamp = { version: GENERATOR_VERSION, events, seed };
  try {
    const previous = JSON.parse(await readFile(join(dir, STAMP), 'utf8')) as GeneratedTrail & {
      stamp: unknown;
    };
    if (JSON.stringify(previous.stamp) === JSON.stringify(stamp)) {
      return { ...previous, dir, cached: true };
    }
  } catch {
    // No stamp or an unreadable one: generate afresh.
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const random = createRandom(seed);
  const account = createAccount(random);
  await writeAccountFiles(dir, account);

  let written = 0;
  let files = 0;
  let bytes = 0;
  // Files cover consecutive slices of the window (plus a little before it, for context records).
  const start = BENCH_NOW.getTime() - WINDOW_MS - 3_600_000;
  const sizes: number[] = [];
  while (written < events) {
    const size = Math.min(events - written, random.int(1_000, 5_000));
    sizes.push(size);
    written += size;
  }
  const slice = (BENCH_NOW.getTime() - start) / sizes.length;
  for (const [index, size] of sizes.entries()) {
    const from = start + index * slice;
    const region = REGIONS[index % REGIONS.length] ?? 'us-east-1';
    const records: unknown[] = [];
    for (let i = 0; i < size; i += 1) {
      records.push(makeRecord(random, account, region, from + random.next() * slice));
    }
    records.sort((a, b) => eventTimeOf(a).localeCompare(eventTimeOf(b)));
    const fileTime = new Date(from + slice);
    const day = fileTime.toISOString().slice(0, 10).split('-');
    const folder = join(dir, 'cloudtrail', 'AWSLogs', BENCH_ACCOUNT, 'CloudTrail', region, ...day);
    await mkdir(folder, { recursive: true });
    const stampText = fileTime.toISOString().replace(/[-:]/g, '').slice(0, 13);
    const name = `${BENCH_ACCOUNT}_CloudTrail_${region}_${stampText}Z_${random.token(16)}.json.gz`;
    const gz = await gzipAsync(JSON.stringify({ Records: records }));
    await writeFile(join(folder, name), gz);
    bytes += gz.length;
    files += 1;
  }
  const result = { dir, events, files, bytes, cached: false };
  await writeFile(join(dir, STAMP), JSON.stringify({ ...result, stamp }));
  return result;
}

function eventTimeOf(record: unknown): string {
  return (record as { eventTime: string }).eventTime;
}

interface BenchUser {
  readonly name: string;
  readonly keyId: string | null;
  readonly keyCreated: string;
  readonly console: boolean;
}

interface BenchAccount {
  readonly users: readonly BenchUser[];
  readonly keyed: readonly BenchUser[];
  readonly roles: readonly string[];
}

const FIRST = ['alex', 'sam', 'kim', 'lee', 'max', 'ana', 'joe', 'eva', 'ivo', 'mia'];
const TEAMS = ['payments', 'orders', 'search', 'platform', 'data', 'web', 'mobile', 'ml'];

function createAccount(random: Random): BenchAccount {
  const users: BenchUser[] = [];
  for (let i = 0; i < USERS; i += 1) {
    const machine = random.next() < 0.4;
    const name = machine
      ? `svc-${random.pick(TEAMS)}-${i}`
      : `${random.pick(FIRST)}.${random.token(5).toLowerCase()}${i}`;
    const hasKey = machine || random.next() < 0.3;
    const created = new Date(BENCH_NOW.getTime() - random.int(1, 400) * 86_400_000);
    users.push({
      name,
      keyId: hasKey ? `AKIAEXAMPLE${random.token(9)}` : null,
      keyCreated: created.toISOString().replace('.000Z', '+00:00'),
      console: !machine,
    });
  }
  const roles = [
    ...TEAMS.map((team) => `${team}-lambda-role`),
    ...TEAMS.map((team) => `${team}-ecs-task-role`),
    'deploy-role',
    'AWSReservedSSO_AdministratorAccess_0123456789abcdef',
    'AWSReservedSSO_ReadOnly_fedcba9876543210',
    'ec2-app-instance-role',
  ];
  return { users, keyed: users.filter((u) => u.keyId !== null), roles };
}

async function writeAccountFiles(dir: string, account: BenchAccount): Promise<void> {
  const header =
    'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const rows = [
    `<root_account>,arn:aws:iam::${BENCH_ACCOUNT}:root,2016-02-11T18:27:05+00:00,not_supported,2026-08-12T17:03:55+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
  ];
  for (const user of account.users) {
    const key = user.keyId
      ? `true,${user.keyCreated},2026-11-19T10:00:00+00:00,us-east-1,s3`
      : 'false,N/A,N/A,N/A,N/A';
    const password = user.console
      ? 'true,2026-11-18T09:00:00+00:00,2026-06-01T09:00:00+00:00,N/A,true'
      : 'false,N/A,N/A,N/A,false';
    rows.push(
      `${user.name},arn:aws:iam::${BENCH_ACCOUNT}:user/${user.name},2019-01-01T00:00:00+00:00,${password},${key},false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
    );
  }
  await writeFile(join(dir, 'credential-report.csv'), `${header}\n${rows.join('\n')}\n`);
  const keys = account.keyed.map((user) => ({
    UserName: user.name,
    AccessKeyId: user.keyId,
    Status: 'Active',
    CreateDate: user.keyCreated,
  }));
  await writeFile(join(dir, 'access-keys.json'), JSON.stringify({ AccessKeyMetadata: keys }));
  await writeFile(join(dir, 'account.json'), JSON.stringify({ id: BENCH_ACCOUNT, alias: 'bench' }));
}

const USER_AGENTS = [
  'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#5.10.225-213.878.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#amzn.2 md/prompt#off md/command#s3.ls',
  'Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux#5.10.224-233.888.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.144',
  'aws-sdk-js/3.637.0 ua/2.1 os/linux#5.10.225 lang/js md/nodejs#20.16.0 api/dynamodb#3.637.0 exec-env/AWS_ECS_FARGATE',
  'aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/sts#1.30.3',
  'APN/1.0 HashiCorp/1.0 Terraform/1.9.3 (+https://www.terraform.io) terraform-provider-aws/5.61.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.3',
  'aws-sdk-java/2.26.25 Linux/5.10.223 OpenJDK_64-Bit_Server_VM/21.0.4+7-LTS Java/21.0.4 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36',
];

const READ_CALLS: readonly (readonly [string, string])[] = [
  ['s3.amazonaws.com', 'ListBuckets'],
  ['s3.amazonaws.com', 'GetBucketPolicy'],
  ['ec2.amazonaws.com', 'DescribeInstances'],
  ['ec2.amazonaws.com', 'DescribeSecurityGroups'],
  ['dynamodb.amazonaws.com', 'DescribeTable'],
  ['lambda.amazonaws.com', 'GetFunction'],
  ['logs.amazonaws.com', 'DescribeLogGroups'],
  ['kms.amazonaws.com', 'Decrypt'],
  ['secretsmanager.amazonaws.com', 'GetSecretValue'],
  ['ssm.amazonaws.com', 'GetParameter'],
  ['sqs.amazonaws.com', 'GetQueueAttributes'],
  ['cloudformation.amazonaws.com', 'DescribeStacks'],
  ['iam.amazonaws.com', 'GetRole'],
  ['sts.amazonaws.com', 'GetCallerIdentity'],
];

function makeRecord(random: Random, account: BenchAccount, region: string, time: number): unknown {
  const roll = random.next();
  const eventTime = new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const base = {
    eventVersion: '1.09',
    eventTime,
    awsRegion: region,
    requestID: random.uuid(),
    eventID: random.uuid(),
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: BENCH_ACCOUNT,
    eventCategory: 'Management',
  };
  const ip = `10.${random.int(0, 255)}.${random.int(0, 255)}.${random.int(1, 254)}`;
  if (roll < 0.55) return roleCall(random, account, base, region, ip, null);
  if (roll < 0.67) return userCall(random, account, base, region, ip, null);
  if (roll < 0.75) return serviceEvent(random, base, region);
  if (roll < 0.83) {
    const code = random.next() < 0.85 ? 'AccessDenied' : 'Client.UnauthorizedOperation';
    return random.next() < 0.6
      ? roleCall(random, account, base, region, ip, code)
      : userCall(random, account, base, region, ip, code);
  }
  if (roll < 0.87) return issuance(random, account, base, region, ip);
  if (roll < 0.993) return s3Data(random, base, region, ip);
  if (roll < 0.998) return consoleLogin(random, account, base);
  if (roll < 0.9983) return lifecycle(random, account, base, ip);
  if (roll < 0.9995) return anonymousDenied(random, base, ip);
  return rootCall(random, base, ip);
}

type Base = Record<string, unknown>;

function timeOf(base: Base): number {
  return Date.parse(String(base.eventTime));
}

/**
 * A temporary key is used for the whole session it belongs to (an hour here), not for one
 * call: the key id is derived from the role, the session and the hour, not drawn per record.
 */
function sessionKey(role: string, session: string, time: number): string {
  return `ASIAEXAMPLE${hashToken(`${role}/${session}/${Math.floor(time / 3_600_000)}`, 9)}`;
}

function roleId(role: string): string {
  return `AROAEXAMPLE${hashToken(role, 9)}`;
}

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A stable pseudo-random token of [A-Z2-7] from a text (FNV-1a, stretched). */
function hashToken(text: string, length: number): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  let out = '';
  for (let i = 0; i < length; i += 1) {
    hash = Math.imul(hash ^ (hash >>> 13), 0x5bd1e995) >>> 0;
    out += TOKEN_ALPHABET[hash % TOKEN_ALPHABET.length];
  }
  return out;
}

function sessionIdentity(role: string, session: string, time: number): Base {
  return {
    type: 'AssumedRole',
    principalId: `${roleId(role)}:${session}`,
    arn: `arn:aws:sts::${BENCH_ACCOUNT}:assumed-role/${role}/${session}`,
    accountId: BENCH_ACCOUNT,
    accessKeyId: sessionKey(role, session, time),
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: roleId(role),
        arn: `arn:aws:iam::${BENCH_ACCOUNT}:role/${role}`,
        accountId: BENCH_ACCOUNT,
        userName: role,
      },
      attributes: { creationDate: '2026-11-20T08:00:00Z', mfaAuthenticated: 'false' },
    },
  };
}

function tls(service: string, region: string): Base {
  return {
    tlsVersion: 'TLSv1.3',
    cipherSuite: 'TLS_AES_128_GCM_SHA256',
    clientProvidedHostHeader: `${service.replace('.amazonaws.com', '')}.${region}.amazonaws.com`,
  };
}

function denial(code: string | null, arn: string, service: string, name: string): Base {
  if (!code) return {};
  const action = `${service.replace('.amazonaws.com', '')}:${name}`;
  return {
    errorCode: code,
    errorMessage: `User: ${arn} is not authorized to perform: ${action} on resource: arn:aws:${service.replace('.amazonaws.com', '')}:us-east-1:${BENCH_ACCOUNT}:resource/x because no identity-based policy allows the ${action} action`,
  };
}

function roleCall(
  random: Random,
  account: BenchAccount,
  base: Base,
  region: string,
  ip: string,
  code: string | null,
): unknown {
  const role = random.pick(account.roles);
  const [service, name] = random.pick(READ_CALLS);
  const identity = sessionIdentity(role, `session-${random.int(1, 50)}`, timeOf(base));
  return {
    ...base,
    userIdentity: identity,
    eventSource: service,
    eventName: name,
    sourceIPAddress: ip,
    userAgent: random.pick(USER_AGENTS),
    ...denial(code, String(identity.arn), service, name),
    requestParameters: {
      maxResults: 100,
      filterSet: {
        items: [{ name: 'tag:team', valueSet: { items: [{ value: random.pick(TEAMS) }] } }],
      },
    },
    responseElements: null,
    tlsDetails: tls(service, region),
  };
}

function userCall(
  random: Random,
  account: BenchAccount,
  base: Base,
  region: string,
  ip: string,
  code: string | null,
): unknown {
  const user = random.pick(account.keyed);
  const [service, name] = random.pick(READ_CALLS);
  const arn = `arn:aws:iam::${BENCH_ACCOUNT}:user/${user.name}`;
  return {
    ...base,
    userIdentity: {
      type: 'IAMUser',
      principalId: `AIDAEXAMPLE${hashToken(user.name, 9)}`,
      arn,
      accountId: BENCH_ACCOUNT,
      accessKeyId: user.keyId,
      userName: user.name,
    },
    eventSource: service,
    eventName: name,
    sourceIPAddress: ip,
    userAgent: random.pick(USER_AGENTS),
    ...denial(code, arn, service, name),
    requestParameters: {
      bucketName: `${random.pick(TEAMS)}-artifacts-${BENCH_ACCOUNT}`,
      Host: 's3.amazonaws.com',
    },
    responseElements: null,
    tlsDetails: tls(service, region),
  };
}

function serviceEvent(random: Random, base: Base, region: string): unknown {
  return {
    ...base,
    userIdentity: { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' },
    eventSource: 'kms.amazonaws.com',
    eventName: random.next() < 0.5 ? 'Decrypt' : 'GenerateDataKey',
    sourceIPAddress: 'lambda.amazonaws.com',
    userAgent: 'lambda.amazonaws.com',
    requestParameters: {
      encryptionContext: {
        aws_lambda_function_arn: `arn:aws:lambda:${region}:${BENCH_ACCOUNT}:function:orders-api`,
      },
      encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    },
    responseElements: null,
    resources: [
      {
        accountId: BENCH_ACCOUNT,
        type: 'AWS::KMS::Key',
        ARN: `arn:aws:kms:${region}:${BENCH_ACCOUNT}:key/${random.uuid()}`,
      },
    ],
    sharedEventID: random.uuid(),
  };
}

/** CloudTrail writes `expiration` in this non-ISO form. */
function ctExpiration(ms: number): string {
  const d = new Date(ms);
  const month = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ][d.getUTCMonth()];
  const hour = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${month} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${hour}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
}

function issuance(
  random: Random,
  account: BenchAccount,
  base: Base,
  region: string,
  ip: string,
): unknown {
  const role = random.pick(account.roles);
  const session = `session-${random.int(1, 400)}`;
  const caller = sessionIdentity('deploy-role', 'gh-run', timeOf(base));
  const time = Date.parse(String(base.eventTime));
  return {
    ...base,
    userIdentity: caller,
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    sourceIPAddress: ip,
    userAgent: random.pick(USER_AGENTS),
    requestParameters: {
      roleArn: `arn:aws:iam::${BENCH_ACCOUNT}:role/${role}`,
      roleSessionName: session,
      durationSeconds: 3600,
    },
    responseElements: {
      credentials: {
        accessKeyId: `ASIAEXAMPLE${random.token(9)}`,
        sessionToken: `IQoJb3JpZ2luX2VjEXAMPLEKEY${random.token(40)}`,
        expiration: ctExpiration(time + 3_600_000),
      },
      assumedRoleUser: {
        assumedRoleId: `AROAEXAMPLEROLE12345:${session}`,
        arn: `arn:aws:sts::${BENCH_ACCOUNT}:assumed-role/${role}/${session}`,
      },
    },
    resources: [
      {
        accountId: BENCH_ACCOUNT,
        type: 'AWS::IAM::Role',
        ARN: `arn:aws:iam::${BENCH_ACCOUNT}:role/${role}`,
      },
    ],
    tlsDetails: tls('sts.amazonaws.com', region),
  };
}

const DATA_ROLES = ['ec2-app-instance-role', 'data-ecs-task-role', 'ml-lambda-role'];

function s3Data(random: Random, base: Base, region: string, ip: string): unknown {
  const role = random.pick(DATA_ROLES);
  const identity = sessionIdentity(role, `i-0${hashToken(role, 16).toLowerCase()}`, timeOf(base));
  const bucket = `${random.pick(TEAMS)}-data-${BENCH_ACCOUNT}`;
  return {
    ...base,
    eventCategory: 'Data',
    managementEvent: false,
    userIdentity: identity,
    eventSource: 's3.amazonaws.com',
    eventName: random.next() < 0.7 ? 'GetObject' : 'PutObject',
    sourceIPAddress: ip,
    userAgent: random.pick(USER_AGENTS),
    requestParameters: {
      bucketName: bucket,
      Host: `${bucket}.s3.${region}.amazonaws.com`,
      key: `events/2026/11/20/${random.token(12)}.parquet`,
    },
    responseElements: null,
    additionalEventData: {
      SignatureVersion: 'SigV4',
      CipherSuite: 'TLS_AES_128_GCM_SHA256',
      bytesTransferredIn: 0,
      AuthenticationMethod: 'AuthHeader',
      'x-amz-id-2': random.token(40),
      bytesTransferredOut: random.int(100, 90_000),
    },
    resources: [
      { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/events/` },
      { accountId: BENCH_ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
    ],
    tlsDetails: tls('s3.amazonaws.com', region),
  };
}

function consoleLogin(random: Random, account: BenchAccount, base: Base): unknown {
  const failure = random.next() < 0.3;
  const hidden = failure && random.next() < 0.3;
  const user = random.pick(account.users);
  return {
    ...base,
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    userIdentity: {
      type: 'IAMUser',
      principalId: hidden ? undefined : `AIDAEXAMPLE${hashToken(user.name, 9)}`,
      accountId: BENCH_ACCOUNT,
      accessKeyId: '',
      userName: hidden ? 'HIDDEN_DUE_TO_SECURITY_REASONS' : user.name,
      ...(hidden ? {} : { arn: `arn:aws:iam::${BENCH_ACCOUNT}:user/${user.name}` }),
    },
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    awsRegion: 'us-east-1',
    sourceIPAddress: `198.51.100.${random.int(1, 254)}`,
    userAgent: USER_AGENTS[6],
    ...(failure ? { errorMessage: 'Failed authentication' } : {}),
    requestParameters: null,
    responseElements: { ConsoleLogin: failure ? 'Failure' : 'Success' },
    additionalEventData: {
      LoginTo: 'https://console.aws.amazon.com/console/home',
      MobileVersion: 'No',
      MFAUsed: 'Yes',
    },
  };
}

function lifecycle(random: Random, account: BenchAccount, base: Base, ip: string): unknown {
  const user = random.pick(account.keyed);
  const admin = sessionIdentity(
    'AWSReservedSSO_AdministratorAccess_0123456789abcdef',
    'admin@example.com',
    timeOf(base),
  );
  const roll = random.next();
  const eventName =
    roll < 0.4 ? 'CreateAccessKey' : roll < 0.8 ? 'UpdateAccessKey' : 'DeleteAccessKey';
  const keyId = eventName === 'CreateAccessKey' ? `AKIAEXAMPLE${random.token(9)}` : user.keyId;
  return {
    ...base,
    readOnly: false,
    userIdentity: admin,
    eventSource: 'iam.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: ip,
    userAgent: USER_AGENTS[6],
    requestParameters:
      eventName === 'CreateAccessKey'
        ? { userName: user.name }
        : {
            userName: user.name,
            accessKeyId: keyId,
            ...(eventName === 'UpdateAccessKey' ? { status: 'Inactive' } : {}),
          },
    responseElements:
      eventName === 'CreateAccessKey'
        ? {
            accessKey: {
              userName: user.name,
              accessKeyId: keyId,
              status: 'Active',
              createDate: base.eventTime,
            },
          }
        : null,
  };
}

function anonymousDenied(random: Random, base: Base, ip: string): unknown {
  const bucket = `${random.pick(TEAMS)}-public-assets`;
  return {
    ...base,
    eventCategory: 'Data',
    managementEvent: false,
    userIdentity: { type: 'AWSAccount', principalId: '', accountId: 'ANONYMOUS_PRINCIPAL' },
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    sourceIPAddress: ip,
    userAgent: 'curl/8.5.0',
    errorCode: 'AccessDenied',
    errorMessage: 'Access Denied',
    requestParameters: { bucketName: bucket, key: `img/${random.token(8)}.png` },
    responseElements: null,
  };
}

function rootCall(random: Random, base: Base, ip: string): unknown {
  return {
    ...base,
    userIdentity: {
      type: 'Root',
      principalId: BENCH_ACCOUNT,
      arn: `arn:aws:iam::${BENCH_ACCOUNT}:root`,
      accountId: BENCH_ACCOUNT,
      accessKeyId: `ASIAEXAMPLE${random.token(9)}`,
    },
    eventSource: 'iam.amazonaws.com',
    eventName: 'ListUsers',
    sourceIPAddress: ip,
    userAgent: USER_AGENTS[6],
    requestParameters: null,
    responseElements: null,
  };
}
