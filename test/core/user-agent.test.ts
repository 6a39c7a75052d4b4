import { describe, expect, it } from 'vitest';
import {
  runtimeFromLogGroup,
  runtimeFromPrincipal,
  runtimeFromUserAgent,
  userAgentFamily,
} from '../../lambdas/core/user-agent.js';

describe('userAgentFamily', () => {
  it.each([
    [
      'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1 lang/python#3.12.1 Botocore/1.34.0',
      'boto3',
    ],
    ['Boto3/1.28.0 Python/3.11 Linux/5.10 exec-env/AWS_Lambda_python3.11 Botocore/1.31.0', 'boto3'],
    ['aws-cli/1.16.168 Python/3.7.3rc1 Linux/4.19.0-kali3-amd64 botocore/1.12.158', 'aws-cli'],
    [
      'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.amzn.2 prompt/off command/s3.ls',
      'aws-cli',
    ],
    [
      'aws-sdk-js/3.600.0 ua/2.0 os/linux lang/js md/nodejs#20.11.0 exec-env/AWS_Lambda_nodejs20.x',
      'aws-sdk-js-v3',
    ],
    ['aws-sdk-nodejs/2.1490.0 linux/v18.18.2 exec-env/AWS_Lambda_nodejs18.x', 'aws-sdk-js-v2'],
    ['aws-sdk-go/1.44.300 (go1.21.0; linux; amd64)', 'aws-sdk-go'],
    ['aws-sdk-go-v2/1.24.0 os/linux lang/go#1.21.5 md/GOOS#linux', 'aws-sdk-go'],
    ['aws-sdk-java/1.12.600 Linux/5.10 OpenJDK_64-Bit_Server_VM/17', 'aws-sdk-java'],
    [
      'aws-sdk-java/2.21.0 Linux/5.10 OpenJDK_64-Bit_Server_VM/17 Java/17 vendor/Amazon.com_Inc.',
      'aws-sdk-java',
    ],
    [
      'APN/1.0 HashiCorp/1.0 Terraform/1.6.6 (+https://www.terraform.io) terraform-provider-aws/5.31.0 aws-sdk-go-v2/1.24.0',
      'terraform',
    ],
    ['console.amazonaws.com', 'console'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15', 'console'],
    ['[Mozilla/5.0 (Macintosh; Intel Mac OS X 10_13_6) Chrome/70.0]', 'console'],
    ['lambda.amazonaws.com', 'aws-service'],
    ['AWS Internal', 'aws-service'],
    ['curl/8.4.0', 'other'],
    ['', 'other'],
    [null, 'other'],
  ])('classifies %s as %s', (userAgent, family) => {
    expect(userAgentFamily(userAgent)).toBe(family);
  });
});

describe('runtime hints', () => {
  it.each([
    ['aws-sdk-js/3.600.0 exec-env/AWS_Lambda_nodejs20.x', 'lambda'],
    ['Boto3/1.34 exec-env/AWS_ECS_FARGATE Botocore/1.34', 'ecs'],
    ['aws-sdk-go-v2/1.24.0 exec-env/AWS_ECS_EC2', 'ecs'],
    ['aws-cli/2.15.0 Python/3.11.6', null],
    [undefined, null],
  ])('reads %s from a user agent', (userAgent, runtime) => {
    expect(runtimeFromUserAgent(userAgent)).toBe(runtime);
  });

  it.each([
    ['arn:aws:sts::123456789012:assumed-role/web-server/i-0abc1234def567890', 'ec2'],
    [
      'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice',
      'sso',
    ],
    [
      'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnly_0123',
      'sso',
    ],
    ['arn:aws:sts::123456789012:assumed-role/ci-deployer/deploy-session', null],
    ['arn:aws:iam::123456789012:user/ci-bot', null],
    [null, null],
  ])('reads %s from a principal', (arn, runtime) => {
    expect(runtimeFromPrincipal(arn)).toBe(runtime);
  });

  it.each([
    ['/aws/lambda/orders-sync', 'lambda'],
    ['/ecs/billing-worker', 'ecs'],
    ['/aws/ecs/containerinsights/x/performance', 'ecs'],
    ['/aws/eks/prod/cluster', 'eks'],
    ['application', null],
  ])('reads %s from a log group', (logGroup, runtime) => {
    expect(runtimeFromLogGroup(logGroup)).toBe(runtime);
  });
});
