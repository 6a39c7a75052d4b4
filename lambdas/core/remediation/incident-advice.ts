import type { CredentialHint } from '../log-line.js';
import type { IncidentKind } from '../report.js';
import type { RuntimeHint, UserAgentFamily } from '../user-agent.js';

/**
 * Probable causes and fixes for an incident, chosen from what the evidence says about the caller:
 * the runtime it ran in, the client it used, and hints in the failing lines. Written from the
 * credential-chain knowledge in our own words; commands are ones a reader can paste.
 */

/** The STS call that handed out a temporary key seen in the evidence. */
export interface SessionIssuance {
  readonly eventName: string;
  readonly roleArn: string | null;
  readonly sessionName: string | null;
  readonly caller: string | null;
  readonly issuedAt: Date;
  readonly expiration: Date | null;
}

export interface AdviceContext {
  readonly kind: IncidentKind;
  readonly runtimes: ReadonlySet<RuntimeHint>;
  readonly families: ReadonlySet<UserAgentFamily>;
  readonly hints: ReadonlySet<CredentialHint>;
  readonly errorCodes: readonly string[];
  /** Owner of the key when the inventory knows it. */
  readonly keyUser?: string | null;
  /** What this account knows of the key: Active / Inactive / Deleted, or null if unknown here. */
  readonly keyStatus?: 'Active' | 'Inactive' | 'Deleted' | null;
  /** Hours between the key's last use and its deactivation/deletion, when that is the evidence. */
  readonly revokedHoursAfterUse?: number | null;
  readonly temporaryKeys?: boolean;
  readonly issuance?: SessionIssuance | null;
  /** A session ran out while still in use (inferred from CloudTrail; alone or beside failures). */
  readonly inferredExpiry?: boolean;
  readonly actions?: readonly string[];
  readonly resources?: readonly string[];
  readonly rootWithKey?: boolean;
  readonly rootLogin?: boolean;
  readonly probing?: boolean;
  readonly quarantinedUser?: string | null;
  /** The incident's access keys; for key-quarantined, the keys the user held at the time. */
  readonly accessKeyIds?: readonly string[];
  /** For key-quarantined: keys the user held then whose ids are not known here. */
  readonly unidentifiedKeys?: number;
  readonly logGroups?: readonly string[];
}

export interface Advice {
  readonly probableCauses: string[];
  readonly remediation: string[];
}

/**
 * Causes and fixes for one incident.
 *
 * @example adviseIncident({ kind: 'clock-skew', runtimes: new Set(), families: new Set(), hints: new Set(), errorCodes: [] })
 */
export function adviseIncident(context: AdviceContext): Advice {
  const advice: Advice = { probableCauses: [], remediation: [] };
  switch (context.kind) {
    case 'revoked-key-in-use':
      revokedKey(context, advice);
      break;
    case 'invalid-credentials':
      invalidCredentials(context, advice);
      break;
    case 'expired-credentials':
      expiredCredentials(context, advice);
      break;
    case 'no-credentials':
      noCredentials(context, advice);
      break;
    case 'clock-skew':
      clockSkew(context, advice);
      break;
    case 'access-denied':
      accessDenied(context, advice);
      break;
    case 'console-login-failure':
      consoleLogin(context, advice);
      break;
    case 'root-activity':
      rootActivity(context, advice);
      break;
    case 'anonymous-denied':
      anonymousDenied(context, advice);
      break;
    case 'key-quarantined':
      keyQuarantined(context, advice);
      break;
  }
  return { probableCauses: unique(advice.probableCauses), remediation: unique(advice.remediation) };
}

function revokedKey(context: AdviceContext, advice: Advice): void {
  const who = context.keyUser ? ` of IAM user ${context.keyUser}` : '';
  const state = context.keyStatus === 'Deleted' ? 'deleted' : 'deactivated';
  if (context.revokedHoursAfterUse !== undefined && context.revokedHoursAfterUse !== null) {
    advice.probableCauses.push(
      `The key${who} was ${state} only ${formatHours(context.revokedHoursAfterUse)} after it was last used, so whatever used it is probably still running and will now fail.`,
    );
  } else {
    advice.probableCauses.push(
      `Requests are still signed with a key${who} that is ${state} in this account: a workload kept a copy of the old key after it was rotated or revoked.`,
    );
  }
  advice.probableCauses.push(
    'An AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY pair left in the environment wins over every other source in the credential chain, so a stale pair there hides the new key or role completely.',
  );
  addRuntimeSpecificKeyAdvice(context, advice);
  advice.remediation.push(
    'Find the caller from the source IPs, user agents and log groups listed here, and give it the new key, or better a role, instead of the old one.',
    'On the caller, run `env | grep ^AWS_` and look for a leftover key pair; also check `~/.aws/credentials`, CI secrets and container task definitions.',
    'Do not reactivate the old key to stop the errors unless you have to; if you do, set a date to deactivate it again.',
  );
}

function invalidCredentials(context: AdviceContext, advice: Advice): void {
  const codes = new Set(context.errorCodes);
  if (context.temporaryKeys) {
    advice.probableCauses.push(
      'A temporary key (ASIA…) was sent without its session token, or with the token of another session: temporary keys are only valid together with AWS_SESSION_TOKEN.',
    );
    advice.remediation.push(
      'Make sure the caller sets AWS_SESSION_TOKEN alongside the key pair, or lets the SDK assume the role itself instead of copying keys around.',
    );
  }
  if (context.keyUser && context.keyStatus === 'Active') {
    advice.probableCauses.push(
      `The key belongs to IAM user ${context.keyUser} and is active, so the secret paired with it is wrong: mistyped, truncated, or from an older key.`,
    );
    advice.remediation.push(
      `Compare the secret the caller uses with the one issued for ${context.keyUser}; if it is lost, create a new key for the user, move the caller to it, then deactivate the old one.`,
    );
  } else if (!context.temporaryKeys) {
    advice.probableCauses.push(
      'The key is not known in this account: it belongs to another account, was deleted long ago, or the caller is pointed at the wrong profile.',
    );
    advice.remediation.push(
      'Ask AWS which account owns the key with `aws sts get-access-key-info --access-key-id <key id>`, then give the caller credentials for the account it is meant to reach.',
    );
  }
  if (codes.has('SignatureDoesNotMatch') || codes.has('InvalidSignatureException')) {
    advice.probableCauses.push(
      'A bad signature means the secret access key does not match the key id: a copy-paste error, whitespace or quoting in the secret, or a secret from a different key.',
    );
  }
  if (context.hints.has('profile') || context.families.has('aws-cli')) {
    advice.remediation.push(
      'Run `aws configure list` and `aws sts get-caller-identity` where the caller runs to see which profile and key are really in use.',
    );
  }
  advice.probableCauses.push(
    'Environment variables are read before the credentials file, so a stale key pair in the environment is used even when the profile is right.',
  );
  addRuntimeSpecificKeyAdvice(context, advice);
}

function expiredCredentials(context: AdviceContext, advice: Advice): void {
  const issuance = context.issuance;
  // Failures seen in logs (or carried by CloudTrail), not only the inferred SessionExpiredInUse.
  const failures = context.errorCodes.some((code) => code !== 'SessionExpiredInUse');
  if (issuance && (failures || !context.inferredExpiry)) {
    advice.probableCauses.push(
      `The failing key was handed out by ${issuance.eventName}${issuance.roleArn ? ` for ${issuance.roleArn}` : ''}${issuance.sessionName ? ` (session ${issuance.sessionName})` : ''}${issuance.caller ? ` to ${issuance.caller}` : ''}${issuance.expiration ? `, valid until ${issuance.expiration.toISOString()}` : ''}, and was still used after that.`,
    );
  }
  if (context.inferredExpiry && issuance && !failures) {
    advice.probableCauses.push(
      `A session from ${issuance.eventName}${issuance.roleArn ? ` for ${issuance.roleArn}` : ''} was still in use when it expired, and no new one was requested until later: the caller did not refresh its temporary credentials.`,
    );
  } else if (context.inferredExpiry && issuance) {
    advice.probableCauses.push(
      'CloudTrail agrees: the session was still making calls right up to its expiration, and its caller asked for no new one until later, so it was never refreshed.',
    );
  } else if (!issuance) {
    advice.probableCauses.push(
      'Temporary credentials expired and were not refreshed: the caller copied a session key pair somewhere instead of letting the SDK refresh it.',
    );
  }
  advice.probableCauses.push(
    'A long job can outlive its session (one hour by default for AssumeRole); credentials fetched once at start-up are not renewed on their own.',
  );
  advice.remediation.push(
    'Let the SDK own the session: use a profile with `role_arn` and `source_profile`, or the SDK’s assume-role credential provider, which refreshes before expiry, instead of exported AWS_SESSION_TOKEN values.',
    'For jobs that run longer than the session, raise the role’s maximum session duration and request a longer `DurationSeconds`, or re-assume the role during the job.',
  );
  if (context.runtimes.has('sso') || context.hints.has('sso')) {
    advice.probableCauses.push(
      'The IAM Identity Center (SSO) sign-in behind this profile has expired.',
    );
    advice.remediation.push(
      'Sign in again with `aws sso login --profile <profile>`; the SDKs pick up the refreshed token.',
    );
  }
  if (context.hints.has('web-identity')) {
    advice.probableCauses.push(
      'The web identity token (OIDC) used to assume the role has expired before the role was assumed again.',
    );
    advice.remediation.push(
      'Check that the token file named by AWS_WEB_IDENTITY_TOKEN_FILE is refreshed (EKS and CI providers rotate it) and that the SDK reads the file again rather than caching it.',
    );
  }
  if (context.runtimes.has('lambda')) {
    advice.probableCauses.push(
      'Inside Lambda the function’s own role credentials are refreshed by the service; expired keys there usually come from a role assumed in code and cached across invocations at module scope.',
    );
    advice.remediation.push(
      'Do not cache an assumed-role client forever at module scope in Lambda; use a credential provider that refreshes, or re-create it when its expiration is near.',
    );
  }
  if (context.hints.has('env-vars')) {
    advice.remediation.push(
      'Remove AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN exported from an earlier session (`unset` them); they are read first and never refreshed.',
    );
  }
}

function noCredentials(context: AdviceContext, advice: Advice): void {
  advice.probableCauses.push(
    'The SDK went through its whole credential chain (environment, config files, SSO, container, instance metadata) and found nothing; the request never reached AWS, which is why CloudTrail has no trace of it.',
  );
  if (context.runtimes.has('lambda')) {
    advice.probableCauses.push(
      'Lambda always gives a function its execution role through environment variables, so code that still finds no credentials has usually cleared or overridden them, or asks for a named profile that does not exist in the function.',
    );
    advice.remediation.push(
      'In the function, build clients without an explicit `profile` and do not overwrite AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN; check its role with `aws lambda get-function-configuration --function-name <name> --query Role`.',
    );
  }
  if (context.runtimes.has('ecs') || context.hints.has('container')) {
    advice.probableCauses.push(
      'In ECS the application gets credentials from the task role (`taskRoleArn`); the execution role (`executionRoleArn`) is only for the agent pulling images and writing logs, and is not visible to the code.',
    );
    advice.remediation.push(
      'Set `taskRoleArn` on the task definition (`aws ecs describe-task-definition --task-definition <family> --query taskDefinition.taskRoleArn`) and redeploy the service.',
    );
  }
  if (context.runtimes.has('ec2') || context.hints.has('imds')) {
    advice.probableCauses.push(
      'On EC2 the credentials come from the instance metadata service: the instance has no instance profile, or IMDSv2 is required and the hop limit of 1 stops a container on the instance from reaching it.',
    );
    advice.remediation.push(
      'Attach an instance profile, and for containers on the instance raise the hop limit: `aws ec2 modify-instance-metadata-options --instance-id <id> --http-tokens required --http-put-response-hop-limit 2`.',
      'Test from the host: `TOKEN=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60")` then `curl -s -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/iam/security-credentials/`.',
    );
  }
  if (context.hints.has('profile')) {
    advice.probableCauses.push(
      'AWS_PROFILE (or the profile passed in code) names a profile that is not in ~/.aws/config or ~/.aws/credentials in that environment.',
    );
    advice.remediation.push(
      'List what exists with `aws configure list-profiles` and fix or unset AWS_PROFILE.',
    );
  }
  if (context.hints.has('credential-process')) {
    advice.probableCauses.push(
      'The `credential_process` command failed or printed something other than the expected JSON, and the chain moved on and found nothing.',
    );
    advice.remediation.push(
      'Run the `credential_process` command from ~/.aws/config by hand, as the same user, and check it prints `{"Version": 1, "AccessKeyId": …}`.',
    );
  }
  if (context.hints.has('sso') || context.runtimes.has('sso')) {
    advice.remediation.push(
      'Run `aws sso login --profile <profile>` to start a new IAM Identity Center session.',
    );
  }
  if (context.hints.has('file-permissions')) {
    advice.probableCauses.push(
      'The process cannot read ~/.aws/credentials or ~/.aws/config (owner or mode).',
    );
    advice.remediation.push(
      'Give the files to the user the process runs as and restrict them: `chmod 600 ~/.aws/credentials ~/.aws/config`.',
    );
  }
  if (context.families.has('boto3') || context.families.has('aws-cli')) {
    advice.remediation.push(
      'Ask botocore which providers it tried: `aws sts get-caller-identity --debug 2>&1 | grep -i credential`.',
    );
  }
  advice.remediation.push(
    'Give the workload a role (Lambda execution role, ECS task role, EC2 instance profile, IRSA) rather than static keys, and make sure the process runs with the environment you expect (cron, systemd and IDEs do not inherit your shell).',
  );
}

function clockSkew(context: AdviceContext, advice: Advice): void {
  advice.probableCauses.push(
    'The caller’s clock is off by more than the five minutes AWS accepts, so every signature it makes looks expired (or not yet valid).',
  );
  advice.remediation.push(
    'Compare `date -u` on the caller with real UTC time, and make sure a time service runs: `systemctl status chronyd` (Amazon Linux) or `timedatectl status` (systemd-timesyncd).',
    'On EC2 point chrony at the Amazon Time Sync Service (169.254.169.123); containers and VMs that were paused or suspended drift and need their clock resynced.',
  );
  if (context.runtimes.has('lambda')) {
    advice.probableCauses.push(
      'Lambda hosts keep time themselves; skew seen in a Lambda log usually means the request was signed earlier and sent late (a signed URL or a request retried long after signing).',
    );
  }
}

function accessDenied(context: AdviceContext, advice: Advice): void {
  const actions = context.actions ?? [];
  const resources = context.resources ?? [];
  advice.probableCauses.push(
    'The credentials are valid; the principal lacks a permission. This is a policy problem, not a credential problem.',
  );
  if (actions.length > 0) {
    const resourceText = resources.length > 0 ? ` on ${listText(resources, 5)}` : '';
    advice.probableCauses.push(`Denied: ${listText(actions, 8)}${resourceText}.`);
  }
  advice.remediation.push(
    'Decide whether the principal should be allowed these actions; if so, grant exactly them on those resources, and if not, find and stop the code that tries.',
    'Check every layer that can deny: identity policies, permission boundaries, SCPs, resource policies and session policies (`aws iam simulate-principal-policy` helps with the first two).',
  );
  if (context.runtimes.has('sso')) {
    advice.remediation.push(
      'For IAM Identity Center roles, change the permission set, not the generated AWSReservedSSO_* role.',
    );
  }
}

function consoleLogin(context: AdviceContext, advice: Advice): void {
  if (context.probing) {
    advice.probableCauses.push(
      'Sign-ins were tried with user names that do not exist in this account (AWS hides them as HIDDEN_DUE_TO_SECURITY_REASONS): someone is guessing.',
    );
    advice.remediation.push(
      'Look at the source IPs; block them at your edge if they are not yours.',
    );
  } else {
    advice.probableCauses.push(
      'Repeated wrong passwords or MFA codes for a real user, or someone guessing that user’s password.',
    );
  }
  if (context.rootLogin) {
    advice.probableCauses.push(
      'The target is the root user, the most powerful sign-in of the account.',
    );
    advice.remediation.push(
      'Make sure root has MFA (a hardware key if possible) and a long unique password, and confirm with the account owner that these attempts were theirs.',
    );
  }
  advice.remediation.push(
    'Ask the user whether these attempts were theirs; if not, reset the password, enforce MFA, and review what the user did recently in CloudTrail.',
  );
}

function rootActivity(context: AdviceContext, advice: Advice): void {
  if (context.rootWithKey) {
    advice.probableCauses.push(
      'Root made API calls with a long-term access key. Root keys cannot be limited by any policy and should not exist.',
    );
    advice.remediation.push(
      'Find out who holds the root key and move that work to an IAM role, then delete the key (IAM console → Security credentials of the root user).',
    );
  } else {
    advice.probableCauses.push('Someone signed in as root or used a root session.');
  }
  advice.remediation.push(
    'Confirm with the account owner that this was planned; root is only needed for a handful of tasks.',
    'Keep root locked away: MFA on, no access keys, the password in a vault, and an alarm on every root use.',
  );
}

function anonymousDenied(_context: AdviceContext, advice: Advice): void {
  advice.probableCauses.push(
    'A client sent unsigned requests to S3: it had no credentials loaded (and some SDKs then fall back to anonymous access), or it uses a plain HTTPS URL instead of a signed one.',
    'Scanners also probe bucket names; requests from addresses you do not know are usually that.',
  );
  advice.remediation.push(
    'If the caller is yours, make it load credentials (a role) and sign its requests, or hand out presigned URLs; if not, keep the bucket private and leave Block Public Access on.',
  );
}

function keyQuarantined(context: AdviceContext, advice: Advice): void {
  const user = context.quarantinedUser ?? 'the user';
  // IAM user names have no spaces; anything else (e.g. "unknown user") must not go into a command.
  const userArg =
    context.quarantinedUser && !/\s/.test(context.quarantinedUser)
      ? context.quarantinedUser
      : '<user name>';
  advice.probableCauses.push(
    `AWS found an access key of ${user} exposed in public (for example a public repository) and attached a quarantine policy that denies the riskiest actions.`,
  );
  const keys = context.accessKeyIds ?? [];
  const unidentified = context.unidentifiedKeys ?? 0;
  if (keys.length === 1) {
    advice.probableCauses.push(
      `The key listed here is the one ${user} held when the policy was attached, so it is the exposed one; a key created after that is a replacement and is not listed.`,
    );
  } else if (keys.length > 1) {
    advice.probableCauses.push(
      `${user} held ${keys.length} keys when the policy was attached; the exposed one is among those listed here. Keys created after that are replacements and are not listed.`,
    );
  } else if (unidentified > 0) {
    advice.probableCauses.push(
      `${user} held ${unidentified === 1 ? 'a key' : `${unidentified} keys`} when the policy was attached, but no key id is known here, so none is listed: \`aws iam list-access-keys --user-name ${userArg}\` shows them with their creation dates.`,
    );
  } else {
    advice.probableCauses.push(
      `Which key was exposed could not be determined, so none is listed: neither the inventory nor the key lifecycle in CloudTrail shows a key of ${user} that existed when the policy was attached. Compare \`aws iam list-access-keys --user-name ${userArg}\` with the quarantine time; a key deleted since shows in CloudTrail as DeleteAccessKey.`,
    );
  }
  advice.remediation.push(
    `Create a new key for ${user}, move every caller to it, then deactivate and delete the exposed key; do not simply detach the quarantine policy.`,
    'Review what the exposed key did in CloudTrail (`aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=<key id>`), including resources created in unusual Regions.',
    'Remove the key from wherever it was published and from its history, and answer the AWS Support case that came with it.',
  );
}

/** Where a static key is kept depends on the runtime; tell the reader where to look. */
function addRuntimeSpecificKeyAdvice(context: AdviceContext, advice: Advice): void {
  if (context.runtimes.has('lambda')) {
    advice.remediation.push(
      'Check the function’s environment variables for an AWS key pair (`aws lambda get-function-configuration --function-name <name> --query Environment`); a function should use its execution role instead.',
    );
  }
  if (context.runtimes.has('ecs')) {
    advice.remediation.push(
      'Check the task definition’s `environment` and `secrets` for a key pair, and use `taskRoleArn` instead.',
    );
  }
  if (context.families.has('terraform')) {
    advice.remediation.push(
      'Check the Terraform provider block and the pipeline variables for a hard-coded or stale key.',
    );
  }
}

function formatHours(hours: number): string {
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  return `${Math.round(hours)} h`;
}

function listText(values: readonly string[], max: number): string {
  const shown = values.slice(0, max).join(', ');
  return values.length > max ? `${shown} and ${values.length - max} more` : shown;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
