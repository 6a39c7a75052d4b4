/**
 * Links to the IAM console page where a person fixes what a message is about: the user's
 * Security credentials tab (access keys, MFA, password), the role, or root's own page.
 * Messages carry them so the reader goes from "what is wrong" to "where to fix it" in one click.
 */

const DEFAULT_HOST = 'https://console.aws.amazon.com';
const CONSOLE_HOSTS: Readonly<Record<string, string>> = {
  aws: DEFAULT_HOST,
  'aws-us-gov': 'https://console.amazonaws-us-gov.com',
  'aws-cn': 'https://console.amazonaws.cn',
};

const IAM_ARN = /^arn:(aws[a-z-]*):(?:iam|sts)::\d{12}:(.+)$/;

/** The IAM console page of a principal the report names. */
export interface ConsoleLink {
  /** What the link opens, for a button or a line label: `IAM user ci-bot`. */
  readonly label: string;
  readonly url: string;
}

/**
 * The console page of an IAM user, for the findings' principals (`Root` or `IAMUser`).
 *
 * @example iamUserLink('IAMUser', 'ci-bot').url // 'https://console.aws.amazon.com/iam/home#/users/details/ci-bot?section=security_credentials'
 */
export function iamUserLink(
  type: 'Root' | 'IAMUser',
  name: string,
  arn?: string | null,
): ConsoleLink {
  const host = hostOf(arn);
  if (type === 'Root') return { label: 'root user', url: `${host}/iam/home#/security_credentials` };
  return {
    label: `IAM user ${name}`,
    url: `${host}/iam/home#/users/details/${encodeURIComponent(name)}?section=security_credentials`,
  };
}

/**
 * The console page of a principal named by ARN in an incident: an IAM user, a role (also for
 * an assumed-role session), or root. Null for what has no IAM page here (an AWS service, an
 * anonymous caller, a federated user, a name that is not an ARN).
 *
 * @example principalLink('arn:aws:sts::111122223333:assumed-role/deploy/ci-42')?.label // 'IAM role deploy'
 */
export function principalLink(principal: string): ConsoleLink | null {
  const match = IAM_ARN.exec(principal);
  if (match === null) return null;
  const host = CONSOLE_HOSTS[match[1] ?? ''] ?? DEFAULT_HOST;
  const resource = match[2] ?? '';
  if (resource === 'root')
    return { label: 'root user', url: `${host}/iam/home#/security_credentials` };
  const parts = resource.split('/');
  const kind = parts[0];
  if (kind === 'user' && parts.length >= 2) {
    const name = parts[parts.length - 1] ?? '';
    return {
      label: `IAM user ${name}`,
      url: `${host}/iam/home#/users/details/${encodeURIComponent(name)}?section=security_credentials`,
    };
  }
  // assumed-role/ROLE/SESSION names the role second; role/PATH/ROLE names it last.
  const role =
    kind === 'assumed-role' && parts.length >= 3
      ? parts[1]
      : kind === 'role' && parts.length >= 2
        ? parts[parts.length - 1]
        : undefined;
  if (role === undefined || role === '') return null;
  return {
    label: `IAM role ${role}`,
    url: `${host}/iam/home#/roles/details/${encodeURIComponent(role)}`,
  };
}

function hostOf(arn: string | null | undefined): string {
  const partition = arn === null || arn === undefined ? 'aws' : (arn.split(':')[1] ?? 'aws');
  return CONSOLE_HOSTS[partition] ?? DEFAULT_HOST;
}
