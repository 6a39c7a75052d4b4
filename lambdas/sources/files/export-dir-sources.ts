import { readFile, stat } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { InputFormatError, RequiredSourceError } from '../../core/errors.js';
import type { AccessKeyMetadata, AccountSummary, IamUserDetail } from '../../core/inventory.js';
import type {
  AccountInfo,
  AuditSources,
  CredentialReportInput,
  LogEntry,
  RecordStream,
  SourceResult,
} from '../../core/sources.js';
import { extractCloudTrailRecords } from './cloudtrail-file.js';
import {
  decodeText,
  isJsonObject,
  parseJsonDocuments,
  readFailureReason,
  readTextFile,
  shortMessage,
} from './json-file.js';
import {
  createJsonFileStream,
  type FileOutcome,
  type FileReader,
  type ListedFile,
  readRecordFileInThread,
} from './json-file-stream.js';
import { extractLogEntries } from './log-file.js';

/**
 * File names read in an export directory (`credhealth audit --from-dir DIR`). Every one but the
 * credential report is optional.
 */
export const EXPORT_DIR_FILES = {
  /** The decoded credential report (`aws iam get-credential-report --query Content --output text | base64 -d`). */
  credentialReportCsv: 'credential-report.csv',
  /** The raw `aws iam get-credential-report` output; preferred, as it carries `GeneratedTime`. */
  credentialReportJson: 'credential-report.json',
  /** `aws iam list-access-keys` output, the users' lists merged (or concatenated). */
  accessKeys: 'access-keys.json',
  /** `aws iam get-account-summary` output. */
  accountSummary: 'account-summary.json',
  /** `aws iam get-account-authorization-details --filter User` output. */
  users: 'users.json',
  /** `{"id":"123456789012","alias":"prod"}`; also accepts either of the two AWS outputs below. */
  account: 'account.json',
  /** `aws sts get-caller-identity` output: the account id. */
  callerIdentity: 'caller-identity.json',
  /** `aws iam list-account-aliases` output: the alias. */
  accountAliases: 'account-aliases.json',
  /** CloudTrail log files (`*.json`, `*.json.gz`, any depth) or lookup-events output. */
  cloudTrailDir: 'cloudtrail',
  /** get-query-results / filter-log-events output (`*.json`, `*.json.gz`, any depth). */
  logsDir: 'logs',
} as const;

export interface ExportDirSourcesOptions {
  /**
   * Called before each CloudTrail or log file is read, with its path inside the export
   * directory (`cloudtrail/2026/11/20/x.json.gz`), its 1-based index and the number of files
   * of that directory. Lets the CLI draw progress.
   */
  readonly onFile?: (name: string, index: number, total: number) => void;
  /**
   * Worker threads that read CloudTrail files ahead of the correlator (0: read them in this
   * thread). `auto` (the default) uses two when the machine has a core to spare (more than one
   * core, load average below cores − 1) and the CloudTrail files add up to
   * {@link WORKERS_MIN_BYTES} or more. The report is the same either way; only the time changes.
   */
  readonly workers?: number | 'auto';
}

/** Below this many bytes of CloudTrail files, starting worker threads costs more than it saves. */
export const WORKERS_MIN_BYTES = 8 * 1024 * 1024;

/**
 * Audit sources over a directory of files exported with the AWS CLI (PRODUCT.md, "The CLI").
 * Only the credential report is required. An optional file that is absent gives `missing` with
 * the file that would provide it; one that is damaged (not JSON, not gzip, wrong shape) rejects
 * with `InputFormatError` naming the file, which `runAudit` records as `degraded`; entries of
 * the wrong shape inside a good file are left out and the source is `degraded`.
 * CloudTrail and log records are streamed one file at a time and are not filtered by the
 * window: the correlator decides what the window holds (a session issued before the window
 * can expire inside it).
 *
 * @example
 * const report = await runAudit(createExportDirSources('exports/prod'), options);
 */
export function createExportDirSources(
  dir: string,
  options: ExportDirSourcesOptions = {},
): AuditSources {
  const path = (name: string): string => join(dir, name);

  return {
    credentialReport: () => readCredentialReport(dir),

    async account(): Promise<SourceResult<AccountInfo>> {
      return readAccount(path);
    },

    async accessKeys(): Promise<SourceResult<readonly AccessKeyMetadata[]>> {
      const file = path(EXPORT_DIR_FILES.accessKeys);
      const documents = await readOptionalJson(file);
      if (documents === null) {
        return {
          status: 'missing',
          detail: `no ${file} (aws iam list-access-keys output): keys are named by slot, not id`,
        };
      }
      return readAccessKeys(file, documents);
    },

    async users(): Promise<SourceResult<readonly IamUserDetail[]>> {
      const file = path(EXPORT_DIR_FILES.users);
      const documents = await readOptionalJson(file);
      if (documents === null) {
        return {
          status: 'missing',
          detail: `no ${file} (aws iam get-account-authorization-details --filter User output): no tags for owners or exemptions`,
        };
      }
      return readUsers(file, documents);
    },

    async accountSummary(): Promise<SourceResult<AccountSummary>> {
      const file = path(EXPORT_DIR_FILES.accountSummary);
      const documents = await readOptionalJson(file);
      if (documents === null) {
        return { status: 'missing', detail: `no ${file} (aws iam get-account-summary output)` };
      }
      return readAccountSummary(file, documents);
    },

    cloudTrail(): RecordStream<unknown> {
      return createJsonFileStream({
        name: 'cloudtrail',
        root: path(EXPORT_DIR_FILES.cloudTrailDir),
        displayPrefix: EXPORT_DIR_FILES.cloudTrailDir,
        missingHint:
          'copy CloudTrail log files (*.json.gz from the trail bucket) or aws cloudtrail lookup-events output there',
        extract: (document) => extractCloudTrailRecords(document),
        ...(options.onFile ? { onFile: options.onFile } : {}),
        ...(options.workers === 0
          ? {}
          : { readFiles: cloudTrailReader(options.workers ?? 'auto') }),
      });
    },

    workloadLogs(): RecordStream<LogEntry> {
      return createJsonFileStream({
        name: 'workload-logs',
        root: path(EXPORT_DIR_FILES.logsDir),
        displayPrefix: EXPORT_DIR_FILES.logsDir,
        missingHint: 'save aws logs get-query-results or aws logs filter-log-events output there',
        extract: extractLogEntries,
        ...(options.onFile ? { onFile: options.onFile } : {}),
      });
    },
  };
}

/**
 * Reads CloudTrail files with worker threads when that pays (see `workers`). The worker module
 * is loaded on demand: a bundle keeps it in a chunk of its own, which is what the threads start.
 */
function cloudTrailReader(workers: number | 'auto'): FileReader<unknown> {
  return async function* read(files): AsyncGenerator<FileOutcome<unknown>> {
    const count = workers === 'auto' ? await autoWorkerCount(files) : workers;
    if (count < 1) {
      for (const file of files) yield await readRecordFileInThread(file, extractCloudTrailRecords);
      return;
    }
    const { createWorkerFileReader } = await import('./cloudtrail-workers.js');
    yield* createWorkerFileReader(count)(files);
  };
}

/**
 * Two reader threads when the machine has a core to spare and the trail is big enough to repay
 * starting them. Two even on two cores: the readers are the slower side of the pipeline. The
 * threads cost CPU of their own (each record is read twice, once to digest it), so on a machine
 * whose cores are already busy (load average above cores − 1) one thread is faster.
 */
async function autoWorkerCount(files: readonly ListedFile[]): Promise<number> {
  const cores = availableParallelism();
  const [load = 0] = loadavg();
  if (cores < 2 || load > cores - 1 || files.length < 2) return 0;
  let bytes = 0;
  for (const file of files) {
    bytes += await stat(file.path).then(
      (info) => info.size,
      () => 0,
    );
    if (bytes >= WORKERS_MIN_BYTES) return 2;
  }
  return 0;
}

async function readCredentialReport(dir: string): Promise<CredentialReportInput> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new RequiredSourceError(`${dir} is not a directory`);
  } catch (error) {
    if (error instanceof RequiredSourceError) throw error;
    const code = (error as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'does not exist' : readFailureReason(error);
    throw new RequiredSourceError(`export directory ${dir} ${why}`, { cause: error });
  }

  const jsonFile = join(dir, EXPORT_DIR_FILES.credentialReportJson);
  const csvFile = join(dir, EXPORT_DIR_FILES.credentialReportCsv);
  let jsonProblem: string | null = null;
  try {
    const documents = await readOptionalJson(jsonFile);
    if (documents !== null) {
      const { csv, generatedAt } = credentialReportFromJson(documents);
      return { csv, generatedAt, detail: `${jsonFile} (generated ${generatedAt.toISOString()})` };
    }
  } catch (error) {
    jsonProblem = `${jsonFile} was skipped: ${error instanceof InputFormatError ? error.message : shortMessage(error)}`;
  }

  let csv: string;
  try {
    csv = decodeText(await readFile(csvFile));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why =
      code === 'ENOENT'
        ? `no credential report in ${dir}: expected ${EXPORT_DIR_FILES.credentialReportCsv} (the decoded aws iam get-credential-report Content) or ${EXPORT_DIR_FILES.credentialReportJson} (its raw output)`
        : `${csvFile} ${readFailureReason(error)}`;
    throw new RequiredSourceError(jsonProblem === null ? why : `${why}; ${jsonProblem}`, {
      cause: error,
    });
  }
  const age = 'generation time unknown: a CSV file does not carry it';
  return {
    csv,
    generatedAt: null,
    detail: `${csvFile} (${jsonProblem === null ? age : `${age}; ${jsonProblem}`})`,
  };
}

/** `aws iam get-credential-report` output: `{"Content":"<base64>","ReportFormat":"text/csv","GeneratedTime":…}`. */
function credentialReportFromJson(documents: readonly unknown[]): {
  csv: string;
  generatedAt: Date;
} {
  const [document] = documents;
  if (documents.length !== 1 || !isJsonObject(document)) {
    throw new InputFormatError('not get-credential-report output (one JSON object expected)');
  }
  const { Content: content, GeneratedTime: generatedTime, ReportFormat: format } = document;
  if (typeof content !== 'string' || !/^[A-Za-z0-9+/=\s]+$/.test(content)) {
    throw new InputFormatError('Content is not a base64 string');
  }
  if (format !== undefined && format !== 'text/csv') {
    throw new InputFormatError(`ReportFormat is ${JSON.stringify(format)}, not "text/csv"`);
  }
  const generatedAt = typeof generatedTime === 'string' ? new Date(generatedTime) : null;
  if (generatedAt === null || Number.isNaN(generatedAt.getTime())) {
    throw new InputFormatError('GeneratedTime is not a date');
  }
  return { csv: decodeText(Buffer.from(content, 'base64')), generatedAt };
}

/**
 * The parsed documents of an optional JSON file, or null when the file does not exist.
 * @throws InputFormatError naming the file when it exists but cannot be read or parsed.
 */
async function readOptionalJson(file: string): Promise<unknown[] | null> {
  let text: string;
  try {
    text = await readTextFile(file);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return null;
    throw new InputFormatError(`${file}: ${readFailureReason(error)}`, { cause: error });
  }
  try {
    return parseJsonDocuments(text);
  } catch (error) {
    throw new InputFormatError(`${file}: ${shortMessage(error)}`, { cause: error });
  }
}

/** Items of `field` across every document (pages written one after another), or a shape error. */
function listsOf(
  file: string,
  documents: readonly unknown[],
  fields: readonly string[],
  what: string,
) {
  const items: unknown[] = [];
  let truncated = false;
  for (const document of documents) {
    if (Array.isArray(document)) {
      items.push(...document);
      continue;
    }
    const field = isJsonObject(document)
      ? fields.find((name) => Array.isArray(document[name]))
      : undefined;
    if (!isJsonObject(document) || field === undefined) {
      throw new InputFormatError(
        `${file}: not ${what} (no ${fields.map((f) => `"${f}"`).join(' or ')} list)`,
      );
    }
    items.push(...(document[field] as unknown[]));
    if (document.IsTruncated === true || typeof document.NextToken === 'string') truncated = true;
  }
  return { items, truncated };
}

function readAccessKeys(
  file: string,
  documents: readonly unknown[],
): SourceResult<readonly AccessKeyMetadata[]> {
  const { items, truncated } = listsOf(
    file,
    documents,
    ['AccessKeyMetadata'],
    'list-access-keys output',
  );
  const byId = new Map<string, AccessKeyMetadata>();
  const problems: string[] = [];
  for (const [index, item] of items.entries()) {
    const key = isJsonObject(item) ? item : {};
    const { UserName, AccessKeyId, Status, CreateDate } = key;
    if (
      typeof UserName !== 'string' ||
      typeof AccessKeyId !== 'string' ||
      typeof Status !== 'string' ||
      typeof CreateDate !== 'string' ||
      Number.isNaN(Date.parse(CreateDate))
    ) {
      problems.push(
        `AccessKeyMetadata[${index}] lacks UserName, AccessKeyId, Status or a CreateDate`,
      );
      continue;
    }
    byId.set(AccessKeyId, { UserName, AccessKeyId, Status, CreateDate });
  }
  const keys = [...byId.values()];
  const users = new Set(keys.map((key) => key.UserName)).size;
  return result(
    `read ${count(keys.length, 'access key')} of ${count(users, 'user')} from ${file}`,
    keys,
    problems,
    truncated,
  );
}

function readUsers(
  file: string,
  documents: readonly unknown[],
): SourceResult<readonly IamUserDetail[]> {
  const { items, truncated } = listsOf(
    file,
    documents,
    ['UserDetailList', 'Users'],
    'get-account-authorization-details output',
  );
  const byName = new Map<string, IamUserDetail>();
  const problems: string[] = [];
  for (const [index, item] of items.entries()) {
    if (!isJsonObject(item) || typeof item.UserName !== 'string' || item.UserName === '') {
      problems.push(`user ${index} has no UserName`);
      continue;
    }
    const tags = Array.isArray(item.Tags)
      ? item.Tags.filter(
          (tag): tag is { Key: string; Value: string } =>
            isJsonObject(tag) && typeof tag.Key === 'string' && typeof tag.Value === 'string',
        ).map((tag) => ({ Key: tag.Key, Value: tag.Value }))
      : [];
    // Only what the audit reads is kept: inline policies and group lists can be large.
    byName.set(item.UserName, {
      UserName: item.UserName,
      ...(typeof item.Arn === 'string' ? { Arn: item.Arn } : {}),
      ...(typeof item.UserId === 'string' ? { UserId: item.UserId } : {}),
      ...(typeof item.CreateDate === 'string' ? { CreateDate: item.CreateDate } : {}),
      Tags: tags,
    });
  }
  const users = [...byName.values()];
  return result(`read ${count(users.length, 'user')} from ${file}`, users, problems, truncated);
}

function readAccountSummary(
  file: string,
  documents: readonly unknown[],
): SourceResult<AccountSummary> {
  const [document] = documents;
  const map = isJsonObject(document) ? document.SummaryMap : undefined;
  if (documents.length !== 1 || !isJsonObject(map)) {
    throw new InputFormatError(`${file}: not get-account-summary output (no "SummaryMap" object)`);
  }
  const summary: Record<string, number> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(map)) {
    if (typeof value === 'number' && Number.isFinite(value)) summary[key] = value;
    else problems.push(`SummaryMap.${key} is not a number`);
  }
  return result(`read ${file}`, summary, problems, false);
}

function result<T>(
  detail: string,
  value: T,
  problems: readonly string[],
  truncated: boolean,
): SourceResult<T> {
  const notes: string[] = [];
  if (problems.length > 0) {
    const shown = problems.slice(0, 3).join(', ');
    notes.push(
      `skipped ${count(problems.length, 'entry', 'entries')}: ${shown}${problems.length > 3 ? ` and ${problems.length - 3} more` : ''}`,
    );
  }
  if (truncated)
    notes.push('the output is truncated (IsTruncated/NextToken): export it without --max-items');
  if (notes.length === 0) return { status: 'ok', detail, value };
  return { status: 'degraded', detail: `${detail}; ${notes.join('; ')}`, value };
}

function count(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * The account id and alias from `account.json` (`{"id","alias"}`, or an AWS output below),
 * `caller-identity.json` (`{"Account"}`) and `account-aliases.json` (`{"AccountAliases":[…]}`).
 * What one file lacks another can give; a damaged file is named and the rest still used.
 */
async function readAccount(path: (name: string) => string): Promise<SourceResult<AccountInfo>> {
  const files = [
    EXPORT_DIR_FILES.account,
    EXPORT_DIR_FILES.callerIdentity,
    EXPORT_DIR_FILES.accountAliases,
  ].map(path);
  let id: string | null = null;
  let alias: string | null = null;
  const read: string[] = [];
  const problems: string[] = [];
  for (const file of files) {
    try {
      const documents = await readOptionalJson(file);
      if (documents === null) continue;
      const found = accountFields(documents);
      if (found.id === undefined && found.alias === undefined) {
        throw new InputFormatError(
          `${file}: has no account id ("id" or "Account") or alias ("alias" or "AccountAliases")`,
        );
      }
      if (found.id !== undefined && found.id !== null && !ACCOUNT_ID.test(found.id)) {
        throw new InputFormatError(
          `${file}: account id ${JSON.stringify(found.id)} is not 12 digits`,
        );
      }
      id ??= found.id ?? null;
      alias ??= found.alias ?? null;
      read.push(file);
    } catch (error) {
      problems.push(error instanceof InputFormatError ? error.message : shortMessage(error));
    }
  }
  if (read.length === 0 && problems.length === 0) {
    return {
      status: 'missing',
      detail: `no ${files.join(', ')}: the account id is taken from the credential report's ARNs`,
    };
  }
  if (read.length === 0) throw new InputFormatError(problems.join('; '));
  const detail = `read ${read.join(', ')}`;
  return problems.length === 0
    ? { status: 'ok', detail, value: { id, alias } }
    : {
        status: 'degraded',
        detail: `${detail}; skipped ${problems.join('; ')}`,
        value: { id, alias },
      };
}

function accountFields(documents: readonly unknown[]): {
  id?: string | null;
  alias?: string | null;
} {
  const [document] = documents;
  if (documents.length !== 1 || !isJsonObject(document)) return {};
  const found: { id?: string | null; alias?: string | null } = {};
  const id = document.id ?? document.Account;
  if (typeof id === 'string') found.id = id;
  else if (typeof id === 'number') found.id = String(id);
  else if (id === null) found.id = null;
  if (typeof document.alias === 'string' || document.alias === null) found.alias = document.alias;
  else if (Array.isArray(document.AccountAliases)) {
    const [first] = document.AccountAliases;
    found.alias = typeof first === 'string' ? first : null;
  }
  return found;
}
