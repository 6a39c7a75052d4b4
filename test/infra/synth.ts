import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { AppSettings } from '../../lib/app-context.js';
import {
  CredentialHealthCheck,
  type CredentialHealthCheckProps,
} from '../../lib/credential-health-check.js';
import { CredentialHealthStack } from '../../lib/credential-health-stack.js';

/** Context that turns esbuild bundling off: infra tests check templates, not code. */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

/** The app stack from these settings, with bundling off. */
export function synthStack(settings: AppSettings = {}): {
  app: App;
  stack: CredentialHealthStack;
  template: Template;
} {
  const app = new App({ context: NO_BUNDLING });
  const stack = new CredentialHealthStack(app, 'CredentialHealth', {
    settings,
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  return { app, stack, template: Template.fromStack(stack) };
}

/** The construct alone in a bare stack, with bundling off. */
export function synthConstruct(props: CredentialHealthCheckProps = {}): {
  stack: Stack;
  construct: CredentialHealthCheck;
  template: Template;
} {
  const app = new App({ context: NO_BUNDLING });
  const stack = new Stack(app, 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
  const construct = new CredentialHealthCheck(stack, 'Check', props);
  return { stack, construct, template: Template.fromStack(stack) };
}

interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** Every action allowed by the policies attached to the role whose logical id starts with `rolePrefix`. */
export function actionsOfRole(template: Template, rolePrefix: string): string[] {
  const actions = statementsOfRole(template, rolePrefix).flatMap((s) =>
    Array.isArray(s.Action) ? s.Action : [s.Action],
  );
  return [...new Set(actions)].sort();
}

/** The statements of the policies attached to that role. */
export function statementsOfRole(template: Template, rolePrefix: string): PolicyStatementJson[] {
  const roles = Object.keys(template.findResources('AWS::IAM::Role')).filter((id) =>
    id.startsWith(rolePrefix),
  );
  if (roles.length !== 1)
    throw new Error(`expected one role starting with ${rolePrefix}, found ${roles.join(', ')}`);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties.Roles as { Ref: string }[]).some((ref) => ref.Ref === roles[0]),
  );
  return policies.flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[],
  );
}

/** Actions allowed on `*` by that role's policies. */
export function wildcardActionsOfRole(template: Template, rolePrefix: string): string[] {
  return statementsOfRole(template, rolePrefix)
    .filter((s) => s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*')))
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
    .filter((action, i, all) => all.indexOf(action) === i)
    .sort();
}

/** The environment variables of the function whose logical id starts with `prefix`. */
export function environmentOf(template: Template, prefix: string): Record<string, unknown> {
  const functions = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) =>
    id.startsWith(prefix),
  );
  if (functions.length !== 1 || functions[0] === undefined)
    throw new Error(`expected one function starting with ${prefix}`);
  return functions[0][1].Properties.Environment.Variables as Record<string, unknown>;
}
