import type { AccessKeyRecord, PrincipalRecord } from '../inventory.js';
import { maskAccessKeyId } from '../mask.js';
import type { CheckId } from '../report.js';

/** What each check is about, for people: its name and the controls it maps to. */
export interface CheckInfo {
  /** Short name of the check, for headings and tables. */
  readonly name: string;
  /** CIS AWS Foundations (v1.4–v3.0 numbering), Security Hub and Config ids. */
  readonly controls: readonly string[];
}

/** Names and controls of every check (PRODUCT.md, "Checks"). */
export const CHECK_INFO: Readonly<Record<CheckId, CheckInfo>> = {
  'root-access-key': {
    name: 'Root user has an access key',
    controls: ['CIS 1.4', 'Security Hub IAM.4'],
  },
  'root-mfa-disabled': {
    name: 'Root user without MFA',
    controls: ['CIS 1.5', 'Security Hub IAM.9'],
  },
  'root-recent-use': {
    name: 'Root user used recently',
    controls: ['CIS 1.7', 'Security Hub IAM.20'],
  },
  'key-rotation-due': { name: 'Access key due for rotation', controls: [] },
  'key-rotation-overdue': {
    name: 'Access key past its rotation limit',
    controls: ['CIS 1.14', 'Security Hub IAM.3', 'Config access-keys-rotated'],
  },
  'key-unused': { name: 'Unused access key', controls: ['CIS 1.12', 'Security Hub IAM.22'] },
  'key-inactive': { name: 'Inactive access key not deleted', controls: [] },
  'multiple-active-keys': { name: 'User with two active access keys', controls: ['CIS 1.13'] },
  'key-created-with-user': {
    name: 'Access key created with a console user and never used',
    controls: ['CIS 1.11'],
  },
  'console-user-no-mfa': {
    name: 'Console user without MFA',
    controls: ['CIS 1.10', 'Security Hub IAM.5'],
  },
  'password-unused': {
    name: 'Unused console password',
    controls: ['CIS 1.12', 'Security Hub IAM.8', 'Security Hub IAM.22'],
  },
  'signing-cert-old': { name: 'Old X.509 signing certificate', controls: [] },
};

/** What the remediation is about. */
export interface AdviceSubject {
  readonly principal: PrincipalRecord;
  readonly key: AccessKeyRecord | null;
  /** The key to keep, for `multiple-active-keys`. */
  readonly otherKey?: AccessKeyRecord;
  readonly certSlot?: 1 | 2;
}

/**
 * Steps to fix a finding, in order, with AWS CLI commands filled in with the user and key id
 * where they are known (`<ACCESS_KEY_ID>` otherwise, with the command that finds it).
 *
 * @example remediationFor('key-unused', { principal, key })[0]
 * // 'Check nothing still needs it: ...'
 */
export function remediationFor(check: CheckId, subject: AdviceSubject): string[] {
  return ADVICE[check](subject);
}

const ADVICE: Readonly<Record<CheckId, (subject: AdviceSubject) => string[]>> = {
  'root-access-key': ({ principal, key }) => [
    `Find what still uses the root key before removing it: ${lastUse(principal, key)}; \`aws cloudtrail lookup-events --region <REGION> --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=${keyId(principal, key)}\` lists its recent calls (the id is on the root user's Security credentials page).`,
    'Move that work to an IAM role (or, failing that, an IAM user with only the permissions it needs); nothing needs a root access key except the handful of root-only tasks, which the console does.',
    'Signed in as root, open Security credentials, make the key inactive, wait a few days for anything that breaks, then delete it. From an AWS Organizations management account with centralized root access: `aws sts assume-root --target-principal <ACCOUNT_ID> --task-policy-arn arn=arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials`, then `aws iam delete-access-key --access-key-id <ROOT_ACCESS_KEY_ID>` with those credentials.',
  ],
  'root-mfa-disabled': () => [
    'Sign in as root, open Security credentials and assign an MFA device; a FIDO2 security key or passkey resists phishing better than an authenticator app.',
    'Register a second device (root can have up to eight) and keep it somewhere safe, so losing one does not lock the account.',
    'If the account is a member of an AWS Organization, consider centralized root access, which removes the root password and keys of member accounts altogether.',
  ],
  'root-recent-use': () => [
    'Find out who used root and for what: `aws cloudtrail lookup-events --region us-east-1 --lookup-attributes AttributeKey=EventName,AttributeValue=ConsoleLogin` for sign-ins, and the same without the filter in the regions root worked in, keeping events whose userIdentity.type is Root.',
    'If nobody planned it, treat it as an incident: change the root password, check the MFA devices and any root access keys, and review every action taken.',
    'Move routine work to IAM roles or IAM Identity Center users; keep root for the few tasks only root can do.',
  ],
  'key-rotation-due': (subject) => rotationSteps(subject),
  'key-rotation-overdue': (subject) => rotationSteps(subject),
  'key-unused': ({ principal, key }) => [
    `Check nothing still needs it: ${lastUse(principal, key)}. \`aws iam get-access-key-last-used --access-key-id ${keyId(principal, key)}\` shows the latest use.`,
    `Deactivate it (reversible): \`aws iam update-access-key --user-name ${principal.name} --access-key-id ${keyId(principal, key)} --status Inactive\`; a forgotten consumer now fails with InvalidClientTokenId, which credential-health reports as revoked-key-in-use.`,
    `After a quiet period, delete it: \`aws iam delete-access-key --user-name ${principal.name} --access-key-id ${keyId(principal, key)}\`.`,
  ],
  'key-inactive': ({ principal, key }) => [
    'Make sure nothing has tried the key since it was deactivated: credential-health reports such attempts as revoked-key-in-use, and workloads log them as InvalidClientTokenId.',
    principal.type === 'Root'
      ? 'Delete it while signed in as root (Security credentials), or through centralized root access (`aws sts assume-root` with the IAMDeleteRootUserCredentials task policy).'
      : `Delete it: \`aws iam delete-access-key --user-name ${principal.name} --access-key-id ${keyId(principal, key)}\`. An inactive key can be switched back on by anyone allowed iam:UpdateAccessKey.`,
  ],
  'multiple-active-keys': ({ principal, key, otherKey }) => [
    `Find which consumers use each key: \`aws iam get-access-key-last-used --access-key-id ${keyId(principal, key)}\` and the same for ${otherKey ? keyId(principal, otherKey) : 'the other key'}; ${lastUse(principal, key)}.`,
    `Move every consumer of the older key to ${otherKey ? label(otherKey) : 'the newer key'}, then deactivate the older one: \`aws iam update-access-key --user-name ${principal.name} --access-key-id ${keyId(principal, key)} --status Inactive\`.`,
    `When nothing has failed for a few days, delete it: \`aws iam delete-access-key --user-name ${principal.name} --access-key-id ${keyId(principal, key)}\`.`,
  ],
  'key-created-with-user': ({ principal, key }) => [
    'Ask the person whether they need programmatic access at all; a key made with the user and never used usually is not needed.',
    `If not, delete it: \`aws iam delete-access-key --user-name ${principal.name} --access-key-id ${keyId(principal, key)}\`.`,
    'If they do, prefer short-lived credentials through IAM Identity Center (`aws configure sso`, then `aws sso login`) over a long-term key.',
  ],
  'console-user-no-mfa': ({ principal }) => [
    `Have ${principal.name} assign an MFA device under Security credentials in the console (a security key or passkey is best).`,
    'Enforce it: attach a policy that denies everything except setting up MFA while aws:MultiFactorAuthPresent is false.',
    `If ${principal.name} does not need the console, remove the password instead: \`aws iam delete-login-profile --user-name ${principal.name}\`.`,
  ],
  'password-unused': ({ principal }) => [
    `Confirm with the owner that ${principal.name} no longer needs the console.`,
    `Remove the password (access keys are not affected): \`aws iam delete-login-profile --user-name ${principal.name}\`.`,
    'For people who sign in now and then, IAM Identity Center avoids long-lived passwords on IAM users.',
  ],
  'signing-cert-old': ({ principal, certSlot }) => [
    `List the certificates to find the id of ${certSlot ? `certificate ${certSlot}` : 'the old certificate'}: \`aws iam list-signing-certificates${userOption(principal)}\`.`,
    `If something still signs with it, upload a new one (\`aws iam upload-signing-certificate${userOption(principal)} --certificate-body file://cert.pem\`) and switch that client over.`,
    `Deactivate the old one (\`aws iam update-signing-certificate${userOption(principal)} --certificate-id <CERTIFICATE_ID> --status Inactive\`), then delete it (\`aws iam delete-signing-certificate${userOption(principal)} --certificate-id <CERTIFICATE_ID>\`).`,
  ],
};

function rotationSteps({ principal, key }: AdviceSubject): string[] {
  const id = keyId(principal, key);
  const user = principal.name;
  const steps = [
    `Find every consumer of the key before changing anything: ${lastUse(principal, key)}. \`aws iam get-access-key-last-used --access-key-id ${id}\`, and \`aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=${id}\` in that region, show who calls with it.`,
    `Create the new key: \`aws iam create-access-key --user-name ${user}\` (a user can hold two keys; delete an unused one first if both slots are taken).`,
    'Put the new key in every consumer (secret store, CI variables, ~/.aws/credentials) and check each one works with it.',
    `Deactivate the old key (reversible): \`aws iam update-access-key --user-name ${user} --access-key-id ${id} --status Inactive\`; credential-health reports any caller still using it as revoked-key-in-use.`,
    `After a few quiet days, delete it: \`aws iam delete-access-key --user-name ${user} --access-key-id ${id}\`.`,
  ];
  if (principal.passwordEnabled !== true) {
    steps.push(
      'Better still, retire the long-term key: give the workload a role (EC2 instance profile, ECS task role, Lambda execution role, OIDC federation for CI, IAM Roles Anywhere outside AWS).',
    );
  }
  return steps;
}

function keyId(principal: PrincipalRecord, key: AccessKeyRecord | null | undefined): string {
  if (key?.id) return key.id;
  return principal.type === 'Root' ? '<ROOT_ACCESS_KEY_ID>' : '<ACCESS_KEY_ID>';
}

function label(key: AccessKeyRecord): string {
  return key.id ? maskAccessKeyId(key.id) : `key ${key.slot}`;
}

/** The key's last use, in words that point at where to look for its consumers. */
function lastUse(principal: PrincipalRecord, key: AccessKeyRecord | null | undefined): string {
  if (!key) return 'the key is unknown';
  const base =
    key.id || principal.type === 'Root'
      ? ''
      : ` (find its id with \`aws iam list-access-keys --user-name ${principal.name}\`)`;
  const { lastUsed, lastUsedService, lastUsedRegion } = key;
  if (lastUsed.state === 'date' && lastUsed.value) {
    const service = lastUsedService ? ` by ${lastUsedService}` : '';
    const region = lastUsedRegion ? ` in ${lastUsedRegion}` : '';
    return `it was last used ${lastUsed.value.toISOString().slice(0, 10)}${service}${region}${base}`;
  }
  if (lastUsed.state === 'never') return `it has never been used${base}`;
  if (lastUsed.state === 'no_information') return `it has not been used since 2015${base}`;
  return `its last use is not known${base}`;
}

function userOption(principal: PrincipalRecord): string {
  return principal.type === 'Root' ? '' : ` --user-name ${principal.name}`;
}
