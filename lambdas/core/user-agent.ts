/**
 * What a CloudTrail `userAgent`, a principal ARN or a log group name says about the caller: which
 * tool made the request and where it ran. The incident advice is chosen from these hints.
 */

/** The client that made a request, as far as its user agent tells. */
export type UserAgentFamily =
  | 'boto3'
  | 'aws-cli'
  | 'aws-sdk-js-v2'
  | 'aws-sdk-js-v3'
  | 'aws-sdk-go'
  | 'aws-sdk-java'
  | 'terraform'
  | 'console'
  | 'aws-service'
  | 'other';

/** Where the caller ran. */
export type RuntimeHint = 'lambda' | 'ecs' | 'ec2' | 'sso' | 'eks' | 'github-actions';

/**
 * Order matters: Terraform's user agent also names aws-sdk-go, and aws-cli v1's names botocore.
 */
const FAMILY_RULES: readonly (readonly [RegExp, UserAgentFamily])[] = [
  [/\bTerraform\/|HashiCorp\/|terraform-provider-aws/i, 'terraform'],
  [/\baws-cli\//i, 'aws-cli'],
  [/\bBoto3\/|\bbotocore\//i, 'boto3'],
  [/\baws-sdk-js\/3\.|\baws-sdk-nodejs\/3\.|@aws-sdk\//i, 'aws-sdk-js-v3'],
  [/\baws-sdk-nodejs\/2\.|\baws-sdk-js\/2\.|\baws-sdk-nodejs\//i, 'aws-sdk-js-v2'],
  [/\baws-sdk-go(?:-v2)?\//i, 'aws-sdk-go'],
  [/\baws-sdk-java\/|\baws-sdk-java-v2\//i, 'aws-sdk-java'],
  [/\bconsole\.(?:aws\.)?amazonaws\.com|\bsignin\.amazonaws\.com|^\[?Mozilla\//i, 'console'],
  [/^(?:AWS Internal|[a-z0-9.-]+\.amazonaws\.com)$/i, 'aws-service'],
];

/**
 * The family of the client behind a user agent string.
 *
 * @example userAgentFamily('aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64') // 'aws-cli'
 * @example userAgentFamily('aws-sdk-js/3.600.0 ua/2.0 os/linux lang/js') // 'aws-sdk-js-v3'
 */
export function userAgentFamily(userAgent: string | null | undefined): UserAgentFamily {
  if (!userAgent) return 'other';
  const text = userAgent.trim();
  for (const [pattern, family] of FAMILY_RULES) {
    if (pattern.test(text)) return family;
  }
  return 'other';
}

/**
 * The runtime a user agent reveals: the SDKs append `exec-env/AWS_Lambda_<runtime>` inside
 * Lambda and `exec-env/AWS_ECS_FARGATE` / `AWS_ECS_EC2` inside ECS tasks.
 *
 * @example runtimeFromUserAgent('Boto3/1.34 exec-env/AWS_Lambda_python3.12') // 'lambda'
 */
export function runtimeFromUserAgent(userAgent: string | null | undefined): RuntimeHint | null {
  if (!userAgent) return null;
  if (/exec-env\/AWS_Lambda_/i.test(userAgent)) return 'lambda';
  if (/exec-env\/AWS_ECS_/i.test(userAgent)) return 'ecs';
  if (/exec-env\/GitHubActions|md\/GitHubActions/i.test(userAgent)) return 'github-actions';
  return null;
}

/**
 * The runtime a principal ARN reveals: EC2 instance-profile sessions are named after the
 * instance (`assumed-role/<role>/i-0123…`), IAM Identity Center roles are `AWSReservedSSO_*`,
 * EKS pod identities use `eks-*` session names.
 *
 * @example runtimeFromPrincipal('arn:aws:sts::123456789012:assumed-role/web/i-0abc1234def567890') // 'ec2'
 */
export function runtimeFromPrincipal(arn: string | null | undefined): RuntimeHint | null {
  if (!arn) return null;
  if (
    /:assumed-role\/AWSReservedSSO_|:role\/(?:aws-reserved\/sso\.amazonaws\.com\/)?AWSReservedSSO_/.test(
      arn,
    )
  ) {
    return 'sso';
  }
  if (/:assumed-role\/[^/]+\/i-[0-9a-f]{8,17}$/.test(arn)) return 'ec2';
  if (/:assumed-role\/[^/]+\/eks-/.test(arn)) return 'eks';
  if (/:assumed-role\/[^/]+\/GitHubActions/i.test(arn)) return 'github-actions';
  return null;
}

/**
 * The runtime a CloudWatch Logs group name reveals.
 *
 * @example runtimeFromLogGroup('/aws/lambda/orders-sync') // 'lambda'
 */
export function runtimeFromLogGroup(logGroup: string | null | undefined): RuntimeHint | null {
  if (!logGroup) return null;
  if (/^\/aws\/lambda\//.test(logGroup)) return 'lambda';
  if (/^\/(?:aws\/)?ecs\/|^\/ecs-|\/ecs\//i.test(logGroup)) return 'ecs';
  if (/^\/aws\/eks\/|\/eks\//i.test(logGroup)) return 'eks';
  if (/^\/aws\/ec2\/|\/ec2\//i.test(logGroup)) return 'ec2';
  return null;
}
