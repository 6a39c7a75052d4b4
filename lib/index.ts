export { type AppSettings, CONTEXT_KEYS, type ContextKey, parseAppContext } from './app-context.js';
export {
  type CloudTrailMode,
  type CloudTrailS3Options,
  CloudTrailSource,
} from './cloudtrail-source.js';
export {
  HealthCheckFunction,
  type HealthCheckFunctionProps,
  SERVICE_NAME,
} from './constructs/health-check-function.js';
export {
  CredentialHealthCheck,
  type CredentialHealthCheckProps,
  KEY_STATES,
  MESSAGE_ATTRIBUTE,
} from './credential-health-check.js';
export {
  CredentialHealthStack,
  type CredentialHealthStackProps,
} from './credential-health-stack.js';
export { DEFAULTS } from './defaults.js';
export { validateCredentialHealthCheckProps } from './props-validation.js';
