#!/usr/bin/env node
/**
 * The CDK app: `cdk deploy -c notifyEmails=a@example.com -c slackWebhookSecretName=…`.
 * Context keys are listed in lib/app-context.ts; cdk-nag's AWS Solutions checks gate synth.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseAppContext } from '../lib/app-context.js';
import { CredentialHealthStack } from '../lib/credential-health-stack.js';

const app = new App();
const { settings, errors } = parseAppContext((key) => app.node.tryGetContext(key));
if (errors.length > 0) {
  throw new Error(`Invalid context:\n- ${errors.join('\n- ')}`);
}
const stackName = app.node.tryGetContext('stackName');
new CredentialHealthStack(
  app,
  typeof stackName === 'string' && stackName !== '' ? stackName : 'CredentialHealth',
  {
    settings,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    description: 'credential-health: IAM key hygiene, credential incidents and rotation reminders',
  },
);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
