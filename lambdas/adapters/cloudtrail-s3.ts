import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import {
  type CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { compareText } from '../core/compare-text.js';
import type { TimeWindow } from '../core/sources.js';
import { errorCode, toCredentialHealthError } from './aws-errors.js';
import type { StreamStats } from './stream-stats.js';

/** Where a trail delivers its log files. */
export interface TrailLocation {
  readonly name: string;
  readonly bucket: string;
  /** The trail's `S3KeyPrefix`, without a trailing slash; null when none. */
  readonly keyPrefix: string | null;
  readonly homeRegion: string | null;
  readonly isMultiRegion: boolean;
  readonly isOrganizationTrail: boolean;
  /** From GetTrailStatus; null when the status could not be read (member account of an org trail). */
  readonly isLogging: boolean | null;
}

/**
 * The trail whose S3 files cover this Region, if the account has one: DescribeTrails (shadow
 * trails included, so a multi-Region or organization trail made elsewhere counts), then
 * GetTrailStatus to prefer a trail that is logging. Null when there is none.
 */
export async function findTrail(
  cloudTrail: CloudTrailClient,
  region: string,
): Promise<TrailLocation | null> {
  let trails: Awaited<ReturnType<typeof describe>>;
  try {
    trails = await describe(cloudTrail);
  } catch (error) {
    throw toCredentialHealthError(error, 'cloudtrail:DescribeTrails');
  }
  const candidates: TrailLocation[] = [];
  for (const trail of trails.trailList ?? []) {
    if (trail.S3BucketName === undefined || trail.Name === undefined) continue;
    const isMultiRegion = trail.IsMultiRegionTrail ?? false;
    if (!isMultiRegion && trail.HomeRegion !== undefined && trail.HomeRegion !== region) continue;
    candidates.push({
      name: trail.Name,
      bucket: trail.S3BucketName,
      keyPrefix: trail.S3KeyPrefix ? trail.S3KeyPrefix.replace(/\/+$/, '') : null,
      homeRegion: trail.HomeRegion ?? null,
      isMultiRegion,
      isOrganizationTrail: trail.IsOrganizationTrail ?? false,
      isLogging: await trailIsLogging(cloudTrail, trail.TrailARN ?? trail.Name),
    });
  }
  const rank = (trail: TrailLocation): number =>
    (trail.isLogging === false ? 4 : 0) +
    (trail.isMultiRegion ? 0 : 2) +
    (trail.isOrganizationTrail ? 1 : 0);
  candidates.sort((a, b) => rank(a) - rank(b) || compareText(a.name, b.name));
  return candidates[0] ?? null;
}

function describe(cloudTrail: CloudTrailClient) {
  return cloudTrail.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
}

async function trailIsLogging(
  cloudTrail: CloudTrailClient,
  nameOrArn: string,
): Promise<boolean | null> {
  try {
    const status = await cloudTrail.send(new GetTrailStatusCommand({ Name: nameOrArn }));
    return status.IsLogging ?? null;
  } catch {
    // A member account may not read an organization trail's status; the files may still be readable.
    return null;
  }
}

/** The part of a trail path before `<account>/CloudTrail/`: `[prefix/]AWSLogs/[o-id/]`. */
export function accountLogRoot(
  keyPrefix: string | null,
  organizationId: string | null,
  accountId: string,
): string {
  return `${keyPrefix ? `${keyPrefix}/` : ''}AWSLogs/${organizationId ? `${organizationId}/` : ''}${accountId}/`;
}

/**
 * Finds the organization id in an organization trail's bucket (`AWSLogs/o-…/`), so no
 * Organizations permission is needed. Null when there is none.
 */
export async function findOrganizationId(
  s3: S3Client,
  bucket: string,
  keyPrefix: string | null,
): Promise<string | null> {
  try {
    const listing = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: `${keyPrefix ? `${keyPrefix}/` : ''}AWSLogs/`,
        Delimiter: '/',
      }),
    );
    for (const common of listing.CommonPrefixes ?? []) {
      const match = /AWSLogs\/(o-[a-z0-9]{10,32})\/$/.exec(common.Prefix ?? '');
      if (match?.[1]) return match[1];
    }
    return null;
  } catch (error) {
    throw toCredentialHealthError(error, 's3:ListObjectsV2');
  }
}

/** Log files are stamped with their delivery time; events in a file precede it by up to ~15 min. */
const DELIVERY_LAG_MS = 30 * 60 * 1000;

/**
 * The day folders `…/CloudTrail/<region>/YYYY/MM/DD/` that can hold events of the window.
 *
 * @example
 * dayPrefixes('AWSLogs/123456789012/', 'eu-west-1', window)
 * // ['AWSLogs/123456789012/CloudTrail/eu-west-1/2026/11/19/', '…/2026/11/20/']
 */
export function dayPrefixes(root: string, region: string, window: TimeWindow): string[] {
  const prefixes: string[] = [];
  const end = window.end.getTime() + DELIVERY_LAG_MS;
  const day = new Date(
    Date.UTC(window.start.getUTCFullYear(), window.start.getUTCMonth(), window.start.getUTCDate()),
  );
  while (day.getTime() <= end) {
    const yyyy = String(day.getUTCFullYear());
    const mm = String(day.getUTCMonth() + 1).padStart(2, '0');
    const dd = String(day.getUTCDate()).padStart(2, '0');
    prefixes.push(`${root}CloudTrail/${region}/${yyyy}/${mm}/${dd}/`);
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return prefixes;
}

/** True when a log file's name stamp (`_20261120T0905Z_`) may hold events of the window. */
export function fileMayHoldWindow(key: string, window: TimeWindow): boolean {
  const match = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_/.exec(key);
  if (!match) return true;
  const [, y, mo, d, h, mi] = match;
  const stamp = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  return stamp >= window.start.getTime() && stamp <= window.end.getTime() + DELIVERY_LAG_MS;
}

export interface TrailReadOptions {
  readonly bucket: string;
  /** `accountLogRoot(...)`. */
  readonly root: string;
  readonly regions: readonly string[];
  readonly window: TimeWindow;
}

/**
 * The trail's records for the window, one file at a time: list each day folder, stream each
 * file through gunzip, yield its `Records` whose `eventTime` is inside the window. A file that
 * cannot be read or parsed is counted in `stats.skipped` and the rest is still read.
 */
export async function* readTrailLogs(
  s3: S3Client,
  options: TrailReadOptions,
  stats: StreamStats,
): AsyncGenerator<unknown> {
  const { window } = options;
  for (const region of options.regions) {
    for (const prefix of dayPrefixes(options.root, region, window)) {
      for await (const key of listKeys(s3, options.bucket, prefix)) {
        if (!fileMayHoldWindow(key, window)) continue;
        let records: unknown[];
        try {
          records = await readLogFile(s3, options.bucket, key);
        } catch (error) {
          if (errorCode(error).startsWith('AccessDenied'))
            throw toCredentialHealthError(error, 's3:GetObject');
          stats.skipped += 1;
          if (stats.notes.length < 5) stats.notes.push(`skipped ${key}: ${errorCode(error)}`);
          continue;
        }
        stats.units += 1;
        // Each slot is released as its record is handed out: a record the audit is done with
        // then dies young, instead of the whole file being promoted to the old generation while
        // it is read (which let the heap of a one-thread audit of 1M events pass 400 MB).
        for (let i = 0; i < records.length; i += 1) {
          const record = records[i];
          records[i] = undefined;
          if (!inWindow(record, window)) continue;
          stats.records += 1;
          yield record;
        }
      }
    }
  }
}

async function* listKeys(s3: S3Client, bucket: string, prefix: string): AsyncGenerator<string> {
  let token: string | undefined;
  do {
    let page: Awaited<ReturnType<typeof listPage>>;
    try {
      page = await listPage(s3, bucket, prefix, token);
    } catch (error) {
      throw toCredentialHealthError(error, 's3:ListObjectsV2');
    }
    for (const object of page.Contents ?? []) {
      if (object.Key !== undefined && /\.json(\.gz)?$/.test(object.Key)) yield object.Key;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
}

function listPage(s3: S3Client, bucket: string, prefix: string, token: string | undefined) {
  return s3.send(
    new ListObjectsV2Command({
      Bucket: bucket,
      Prefix: prefix,
      ...(token === undefined ? {} : { ContinuationToken: token }),
    }),
  );
}

/** Streams one file through gunzip (when gzipped) and returns its `Records`. */
async function readLogFile(s3: S3Client, bucket: string, key: string): Promise<unknown[]> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = object.Body;
  if (!(body instanceof Readable)) throw new Error('no body');
  const chunks: Buffer[] = [];
  const collect = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) chunks.push(chunk);
  };
  if (key.endsWith('.gz')) await pipeline(body, createGunzip(), collect);
  else await pipeline(body, collect);
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const records = (parsed as { Records?: unknown }).Records;
  if (!Array.isArray(records))
    throw Object.assign(new Error('no Records array'), { name: 'NotATrailLogFile' });
  return records;
}

function inWindow(record: unknown, window: TimeWindow): boolean {
  const time =
    typeof record === 'object' && record !== null
      ? (record as { eventTime?: unknown }).eventTime
      : undefined;
  if (typeof time !== 'string') return true;
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return true;
  return ms >= window.start.getTime() && ms <= window.end.getTime();
}

/** Whether this caller can list the trail's folder for the account (the `auto` mode's test). */
export async function canListTrailFolder(
  s3: S3Client,
  bucket: string,
  root: string,
): Promise<boolean> {
  try {
    await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: root, MaxKeys: 1 }));
    return true;
  } catch (error) {
    const code = errorCode(error);
    if (code.startsWith('AccessDenied') || code === 'NoSuchBucket' || code === 'AllAccessDisabled')
      return false;
    throw toCredentialHealthError(error, 's3:ListObjectsV2');
  }
}
