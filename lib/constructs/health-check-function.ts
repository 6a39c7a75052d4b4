import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import { Construct } from 'constructs';
import { ENV, type EnvName, METRICS_NAMESPACE } from '../../lambdas/config/env-names.js';

/** The repository root: lib/constructs/ is two levels down. */
const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Service name on every log line and metric of every function. */
export const SERVICE_NAME = 'credential-health';

/** Properties of {@link HealthCheckFunction}. */
export interface HealthCheckFunctionProps {
  /** Folder under `lambdas/` whose `handler.ts` is the entry point, e.g. `key-scan`. */
  readonly handlerDir: string;
  /** What the function does, for the console. */
  readonly description: string;
  /** Retention of the function's log group. */
  readonly logRetention: logs.RetentionDays;
  /**
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /**
   * @default 512
   */
  readonly memorySize?: number;
}

/**
 * A Node.js 22 function on ARM64 with house defaults: an explicit log group with retention (not
 * the one-day or never-expiring default), X-Ray tracing, source maps, a role of its own with no
 * managed policy, and code bundled by the local esbuild from node_modules (no Docker).
 *
 * Permissions and environment variables are added in pairs through {@link grant} and
 * {@link addEnvironment}, next to each other at the call site.
 */
export class HealthCheckFunction extends Construct {
  /** The function. */
  public readonly function: nodejs.NodejsFunction;
  /** The function's role; holds only what {@link grant} added (plus logs and X-Ray). */
  public readonly role: iam.Role;
  /** The function's log group. */
  public readonly logGroup: logs.LogGroup;

  public constructor(scope: Construct, id: string, props: HealthCheckFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', { retention: props.logRetention });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the credential-health ${props.handlerDir} function (read-only)`,
    });
    // Instead of the AWSLambdaBasicExecutionRole managed policy: this log group only.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: path.join(PROJECT_ROOT, 'lambdas', props.handlerDir, 'handler.ts'),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      description: props.description,
      timeout: props.timeout ?? Duration.minutes(5),
      memorySize: props.memorySize ?? 512,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        [ENV.POWERTOOLS_SERVICE_NAME]: SERVICE_NAME,
        [ENV.POWERTOOLS_METRICS_NAMESPACE]: METRICS_NAMESPACE,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        // The SDK is bundled too, so the code that runs is the code that was tested.
        externalModules: [],
        minify: true,
        // Stack traces in the logs point at the TypeScript line (NODE_OPTIONS above). The map
        // holds the mappings only, not the sources' text, which no stack trace uses: a third of
        // the size, and Node reads and parses it at every cold start (BENCHMARKS.md, section 3).
        sourceMap: true,
        sourcesContent: false,
        // Some dependencies are CommonJS and call require(); give the ES module one.
        banner:
          "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime the product is built and tested on; moving to 24 is a deliberate upgrade.',
    });
  }

  /**
   * Sets one environment variable. Throws when it is already set, so two callers can never
   * silently overwrite each other's value.
   */
  public addEnvironment(name: EnvName, value: string): this {
    if (this.environmentNames.has(name)) {
      throw new Error(`${this.node.path}: environment variable ${name} is set twice`);
    }
    this.environmentNames.add(name);
    this.function.addEnvironment(name, value);
    return this;
  }

  /** Allows `actions` on `resources` in the function's own policy. */
  public grant(actions: readonly string[], resources: readonly string[]): this {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...actions], resources: [...resources] }),
    );
    if (resources.includes('*')) for (const action of actions) this.wildcardActions.add(action);
    return this;
  }

  /**
   * Records a cdk-nag finding to acknowledge on this function's policy, by the resource it names
   * (e.g. a log group ARN ending in `:*`). Applied by {@link acknowledgeFindings}.
   */
  public acknowledgeResource(resource: string, reason: string): void {
    this.resourceAcknowledgements.push({ resource, reason });
  }

  /**
   * Acknowledges cdk-nag's `AwsSolutions-IAM5` findings on this function's policy: the
   * `Resource::*` one, naming every action granted on `*`, and each one recorded by
   * {@link acknowledgeResource}. Call it after the last {@link grant}.
   */
  public acknowledgeFindings(): void {
    const policy = this.role.node.tryFindChild('DefaultPolicy');
    if (!(policy instanceof iam.Policy)) return;
    const actions = [...this.wildcardActions].sort();
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) accepts only "*"' +
        (actions.length === 0
          ? '.'
          : `, and so do these read-only actions, which have no resource-level permissions: ${actions.join(', ')}.`),
    });
    for (const { resource, reason } of this.resourceAcknowledgements) {
      acknowledgeWildcardResource(policy, resource, reason);
    }
  }

  private readonly resourceAcknowledgements: { resource: string; reason: string }[] = [];
  private readonly wildcardActions = new Set<string>();

  private readonly environmentNames = new Set<string>();
}

/**
 * Acknowledges `AwsSolutions-IAM5[Resource::…]` for one resource of a policy, spelled the way
 * cdk-nag spells it (tokens become `<LogicalId.Arn>`, pseudo parameters `<AWS::Region>`).
 */
export function acknowledgeWildcardResource(
  policy: iam.Policy,
  resource: string,
  reason: string,
): void {
  // cdk-nag's own spelling, so the id matches the finding exactly.
  const spelled = flattenCfnReference(Stack.of(policy).resolve(resource));
  Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[Resource::${spelled}]`, reason });
}
