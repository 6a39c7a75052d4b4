import { ConfigError } from '../core/errors.js';
import type { EnvName } from './env-names.js';

/** The environment as handlers see it (process.env, or a plain object in tests). */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * A required, non-empty variable.
 *
 * @throws ConfigError naming the variable.
 * @example getStringFromEnv(process.env, ENV.TOPIC_ARN)
 */
export function getStringFromEnv(env: Environment, name: EnvName): string {
  const value = env[name]?.trim();
  if (value === undefined || value === '')
    throw new ConfigError(`environment variable ${name} is not set`);
  return value;
}

/**
 * A whole number of at least `min`; `fallback` when unset.
 *
 * @throws ConfigError naming the variable and its value.
 * @example getIntegerFromEnv(process.env, ENV.INCIDENT_QUIET_RUNS, 4, 1)
 */
export function getIntegerFromEnv(
  env: Environment,
  name: EnvName,
  fallback: number,
  min = 1,
): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min) {
    throw new ConfigError(
      `environment variable ${name} must be a whole number of at least ${min}, got "${raw}"`,
    );
  }
  return value;
}

/**
 * `true` or `false`; `fallback` when unset.
 *
 * @throws ConfigError naming the variable and its value.
 */
export function getBooleanFromEnv(env: Environment, name: EnvName, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ConfigError(`environment variable ${name} must be true or false, got "${env[name]}"`);
}

/** A comma-separated list, empty items dropped; [] when unset. */
export function getListFromEnv(env: Environment, name: EnvName): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/**
 * One of `allowed`; `fallback` when unset.
 *
 * @throws ConfigError naming the variable, its value and the allowed ones.
 */
export function getChoiceFromEnv<T extends string>(
  env: Environment,
  name: EnvName,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new ConfigError(
    `environment variable ${name} must be one of ${allowed.join(', ')}, got "${raw}"`,
  );
}

/**
 * JSON from a variable; `fallback` when unset.
 *
 * @throws ConfigError naming the variable when it is not JSON.
 */
export function getJsonFromEnv(env: Environment, name: EnvName, fallback: unknown): unknown {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    throw new ConfigError(`environment variable ${name} is not valid JSON`, { cause: error });
  }
}
