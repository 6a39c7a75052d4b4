import { ConfigError } from '../core/errors.js';
import { realSleep, type Sleep } from './sleep.js';

/**
 * Fault injection for demonstrations and tests: `CREDHEALTH_FAULTS` makes chosen AWS calls fail
 * (or slow down) before they leave the process, so what the service does under throttling, a
 * stuck credential report or an unreachable service can be shown against moto or a real
 * account instead of only claimed. Syntax (docs/reliability.md):
 *
 *   CREDHEALTH_FAULTS="iam:GenerateCredentialReport=ReportInProgress*20,cloudtrail:LookupEvents=ThrottlingException*5,logs:*=timeout,sns:Publish=InternalError"
 *
 * A rule is `service:Operation=fault[*count]`: `service` one of {@link FAULT_SERVICES};
 * `Operation` an API name (`LookupEvents`) or `*`; `fault` an AWS error code
 * (`ThrottlingException`, `AccessDenied`…), `timeout` (the request times out) or `delay:MS` (the
 * call succeeds MS milliseconds late); `*count` limits the rule to the first `count` matching
 * calls (every call when absent). The first rule that matches a call applies.
 */

/** The services a rule can name, as in an IAM action prefix. */
export const FAULT_SERVICES = ['iam', 'sts', 'cloudtrail', 'logs', 's3', 'sns'] as const;

/** A service of {@link FAULT_SERVICES}. */
export type FaultService = (typeof FAULT_SERVICES)[number];

/** What happens to a matching call. */
export type FaultEffect =
  | { readonly kind: 'error'; readonly code: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'delay'; readonly ms: number };

/** One rule of a plan. */
export interface FaultRule {
  readonly service: FaultService;
  /** The API operation (`LookupEvents`), or `*` for every operation of the service. */
  readonly operation: string;
  readonly effect: FaultEffect;
  /** Matching calls the rule applies to; `null` for every call. */
  readonly count: number | null;
}

/** A parsed `CREDHEALTH_FAULTS`: the rules in the order given. Empty: no faults. */
export interface FaultPlan {
  readonly rules: readonly FaultRule[];
}

/** The environment variable read by the composition roots (CLI, handlers). */
export const FAULTS_ENV = 'CREDHEALTH_FAULTS';

/** The plan that injects nothing. */
export const NO_FAULTS: FaultPlan = { rules: [] };

const RULE_PATTERN =
  /^(?<service>[a-z0-9]+):(?<operation>\*|[A-Za-z][A-Za-z0-9]*)=(?<fault>[A-Za-z][A-Za-z0-9.]*(?::\d+)?)(?:\*(?<count>\d+))?$/;

/** Error codes whose HTTP status AWS sends as 5xx; everything else is a 4xx client fault. */
const SERVER_CODES =
  /^(InternalError|InternalFailure|InternalServerError|ServiceUnavailable|ServiceUnavailableException|InternalServiceError|ServiceFailure|ServiceException)$/;
const THROTTLING_STATUS_429 = /^(TooManyRequestsException)$/;

/**
 * Parses `CREDHEALTH_FAULTS`. Empty or absent: no faults.
 *
 * @throws ConfigError naming the rule that is not valid.
 * @example parseFaultPlan('cloudtrail:LookupEvents=ThrottlingException*5').rules[0]?.count // 5
 */
export function parseFaultPlan(text: string | undefined): FaultPlan {
  if (text === undefined || text.trim() === '') return NO_FAULTS;
  const rules: FaultRule[] = [];
  for (const raw of text.split(',')) {
    const rule = raw.trim();
    if (rule === '') continue;
    const match = RULE_PATTERN.exec(rule);
    const groups = match?.groups;
    if (!groups?.service || !groups.operation || !groups.fault) {
      throw new ConfigError(
        `${FAULTS_ENV}: ${quote(rule)} is not service:Operation=fault[*count] (e.g. cloudtrail:LookupEvents=ThrottlingException*5)`,
      );
    }
    const service = groups.service;
    if (!isFaultService(service)) {
      throw new ConfigError(
        `${FAULTS_ENV}: unknown service ${quote(service)} in ${quote(rule)}; expected one of ${FAULT_SERVICES.join(', ')}`,
      );
    }
    const count = groups.count === undefined ? null : Number(groups.count);
    if (count !== null && (!Number.isSafeInteger(count) || count < 1)) {
      throw new ConfigError(`${FAULTS_ENV}: the count in ${quote(rule)} must be 1 or more`);
    }
    rules.push({
      service,
      operation: groups.operation,
      effect: parseEffect(groups.fault, rule),
      count,
    });
  }
  return { rules };
}

function parseEffect(fault: string, rule: string): FaultEffect {
  if (fault === 'timeout') return { kind: 'timeout' };
  const delay = /^delay:(\d+)$/.exec(fault);
  if (delay?.[1] !== undefined) {
    const ms = Number(delay[1]);
    if (!Number.isSafeInteger(ms) || ms > 900_000) {
      throw new ConfigError(`${FAULTS_ENV}: the delay in ${quote(rule)} must be at most 900000 ms`);
    }
    return { kind: 'delay', ms };
  }
  if (fault.includes(':') || fault.includes('.')) {
    throw new ConfigError(
      `${FAULTS_ENV}: ${quote(fault)} in ${quote(rule)} is not an error code, timeout or delay:MS`,
    );
  }
  return { kind: 'error', code: fault };
}

/** A value from the environment, quoted and escaped so the error stays one line. */
function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}

function isFaultService(value: string): value is FaultService {
  return (FAULT_SERVICES as readonly string[]).includes(value);
}

/** The error an injected fault throws: shaped like an SDK service error, so retries treat it alike. */
export class InjectedFaultError extends Error {
  public readonly $fault: 'client' | 'server';
  public readonly $metadata: { httpStatusCode: number; attempts?: number };
  /** Node's code for a timed-out socket, set for `timeout`, as the SDK's HTTP handler does. */
  public readonly code?: string;

  public constructor(code: string, operation: string, status: number, errno?: string) {
    super(`${code} injected by ${FAULTS_ENV} on ${operation}`);
    this.name = code;
    this.$fault = status >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode: status };
    if (errno !== undefined) this.code = errno;
  }
}

/** The part of a client's middleware stack fault injection uses. */
interface FaultableStack {
  add(
    middleware: (
      next: (args: unknown) => Promise<unknown>,
      context: { readonly commandName?: string },
    ) => (args: unknown) => Promise<unknown>,
    options: {
      readonly step: 'deserialize';
      readonly name: string;
      readonly priority: 'high';
      readonly override?: boolean;
    },
  ): void;
}

/**
 * Applies a plan's rules for one service to a client, as SDK middleware in the `deserialize`
 * step: inside the SDK's retry loop, so each attempt meets the fault (a throttling burst of 5
 * is 5 attempts, retried by the SDK and then by the adapters like a real one), and before the
 * HTTP request, so nothing is sent for a faulted attempt. Counts are shared by every client the
 * same injector is applied to. A service without rules gets no middleware at all.
 */
export function injectFaults(
  client: { readonly middlewareStack: unknown },
  service: FaultService,
  injector: FaultInjector,
): void {
  const rules = injector.plan.rules.filter((rule) => rule.service === service);
  if (rules.length === 0) return;
  // Every v3 client's stack has this `add`; its generic types differ per client, hence the cast.
  const stack = client.middlewareStack as FaultableStack;
  stack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'Command').replace(/Command$/, '');
      const effect = injector.take(service, operation);
      if (effect === undefined) return next(args);
      const label = `${service}:${operation}`;
      switch (effect.kind) {
        case 'delay':
          await injector.sleep(effect.ms);
          return next(args);
        case 'timeout':
          throw new InjectedFaultError('TimeoutError', label, 408, 'ETIMEDOUT');
        case 'error':
          throw new InjectedFaultError(effect.code, label, statusFor(effect.code));
      }
    },
    {
      step: 'deserialize',
      name: 'credentialHealthFaultInjection',
      priority: 'high',
      override: true,
    },
  );
}

function statusFor(code: string): number {
  if (SERVER_CODES.test(code)) return 500;
  if (THROTTLING_STATUS_429.test(code)) return 429;
  return 400;
}

/** A plan with its counters: which rule applies to the next call. */
export interface FaultInjector {
  readonly plan: FaultPlan;
  readonly sleep: Sleep;
  /** The effect for a call about to be made, counting it against its rule; undefined: no fault. */
  take(service: FaultService, operation: string): FaultEffect | undefined;
  /** Faults injected so far, by `service:Operation`. */
  injected(): Readonly<Record<string, number>>;
}

/** Counters over a plan; `sleep` is what `delay:MS` waits with. */
export function createFaultInjector(plan: FaultPlan, sleep: Sleep = realSleep): FaultInjector {
  const used = plan.rules.map(() => 0);
  const injected = new Map<string, number>();
  return {
    plan,
    sleep,
    take(service, operation) {
      for (const [i, rule] of plan.rules.entries()) {
        if (rule.service !== service) continue;
        if (rule.operation !== '*' && rule.operation !== operation) continue;
        const uses = used[i] ?? 0;
        if (rule.count !== null && uses >= rule.count) continue;
        used[i] = uses + 1;
        const label = `${service}:${operation}`;
        injected.set(label, (injected.get(label) ?? 0) + 1);
        return rule.effect;
      }
      return undefined;
    },
    injected: () => Object.fromEntries(injected),
  };
}
