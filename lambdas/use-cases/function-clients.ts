import { type ClientKinds, type ClientSet, createClients } from '../adapters/clients.js';
import { FAULTS_ENV, parseFaultPlan } from '../adapters/fault-injection.js';

/**
 * The AWS clients of a function, the kinds it names and no others (so its bundle holds only
 * those), built once at cold start from the Lambda environment. `CREDHEALTH_FAULTS`
 * (docs/reliability.md) is empty in a normal deployment: no fault injected.
 *
 * @throws ConfigError when CREDHEALTH_FAULTS is set but not a valid fault plan.
 * @example
 * const clients = functionClients(process.env, { iam: IAM_CLIENT, sns: SNS_CLIENT });
 */
export function functionClients<const K extends ClientKinds>(
  env: Readonly<Record<string, string | undefined>>,
  kinds: K,
): ClientSet<K> {
  return createClients(kinds, { region: env.AWS_REGION, faults: parseFaultPlan(env[FAULTS_ENV]) });
}
