import { InputFormatError } from '../../core/errors.js';
import { isJsonObject, shortMessage } from './json-file.js';
import type { ExtractedRecords } from './json-file-stream.js';

/**
 * Raw CloudTrail records from one parsed file, in either shape the AWS CLI leaves on disk:
 * - a log file as CloudTrail delivers it to S3: `{"Records":[{…},…]}`;
 * - `aws cloudtrail lookup-events` output: `{"Events":[{"CloudTrailEvent":"<JSON string>",…}]}`,
 *   whose strings are parsed here, at the edge;
 * - a bare array of records (what `jq .Records` leaves).
 * A CloudTrail digest file (`CloudTrail-Digest/`, holds hashes, not events) is recognised and
 * ignored rather than reported as damaged.
 *
 * @throws InputFormatError when the document is none of these.
 */
export function extractCloudTrailRecords(document: unknown): ExtractedRecords<unknown> {
  if (Array.isArray(document)) return objectsOf(document, '');
  if (!isJsonObject(document)) throw wrongShape();
  if (Array.isArray(document.Records)) return objectsOf(document.Records, 'Records');
  if (Array.isArray(document.Events)) return lookupEvents(document.Events);
  if (typeof document.digestEndTime === 'string' || Array.isArray(document.logFiles)) {
    return { records: [], skipped: [], warnings: [], ignored: 'CloudTrail digest file' };
  }
  throw wrongShape();
}

function wrongShape(): InputFormatError {
  return new InputFormatError(
    'neither a CloudTrail log file {"Records":[…]} nor lookup-events output {"Events":[…]}',
  );
}

function objectsOf(items: readonly unknown[], field: string): ExtractedRecords<unknown> {
  const records: unknown[] = [];
  const skipped: string[] = [];
  for (const [index, item] of items.entries()) {
    if (isJsonObject(item)) records.push(item);
    else skipped.push(`${field}[${index}] is not an object`);
  }
  return { records, skipped, warnings: [] };
}

function lookupEvents(events: readonly unknown[]): ExtractedRecords<unknown> {
  const records: unknown[] = [];
  const skipped: string[] = [];
  for (const [index, event] of events.entries()) {
    const text = isJsonObject(event) ? event.CloudTrailEvent : undefined;
    if (typeof text !== 'string') {
      skipped.push(`Events[${index}] has no CloudTrailEvent string`);
      continue;
    }
    try {
      const record: unknown = JSON.parse(text);
      if (isJsonObject(record)) records.push(record);
      else skipped.push(`Events[${index}].CloudTrailEvent is not a JSON object`);
    } catch (error) {
      skipped.push(`Events[${index}].CloudTrailEvent is not JSON (${shortMessage(error)})`);
    }
  }
  return { records, skipped, warnings: [] };
}
