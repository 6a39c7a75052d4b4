import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';

/** How the trail-watch and audit functions read CloudTrail. */
export type CloudTrailMode = 'auto' | 'lookup' | 's3';

/**
 * Where CloudTrail events come from. A small strategy rather than flags, so an S3 source
 * always carries its bucket and the grants follow from the choice.
 *
 * @example
 * CloudTrailSource.s3Bucket(trailBucket, { prefix: 'org/AWSLogs/' })
 */
export class CloudTrailSource {
  /**
   * `LookupEvents` for management events, after `DescribeTrails`/`GetTrailStatus` say whether a
   * trail is logging. No S3 access is granted: data events (anonymous S3 requests) are not read.
   */
  public static auto(): CloudTrailSource {
    return new CloudTrailSource('auto', undefined, undefined, undefined);
  }

  /** `LookupEvents` only: the last 90 days of management events, two requests a second. */
  public static lookupEvents(): CloudTrailSource {
    return new CloudTrailSource('lookup', undefined, undefined, undefined);
  }

  /**
   * The trail's log files in S3 (management and data events). Grants `s3:ListBucket` on this
   * bucket, `s3:GetObject` under its `AWSLogs/` prefix, and `kms:Decrypt` on the trail's key
   * when the files are SSE-KMS encrypted. The functions find the trail with DescribeTrails,
   * so this must be the bucket the trail delivers to.
   */
  public static s3Bucket(bucket: s3.IBucket, options: CloudTrailS3Options = {}): CloudTrailSource {
    return new CloudTrailSource('s3', bucket, options.prefix ?? '', options.encryptionKey);
  }

  private constructor(
    /** Which reader the functions use. */
    public readonly mode: CloudTrailMode,
    /** The trail bucket, for `s3` only. */
    public readonly bucket: s3.IBucket | undefined,
    /** Key prefix in the bucket, for `s3` only. */
    public readonly prefix: string | undefined,
    /** The KMS key of SSE-KMS trail files, for `s3` only. */
    public readonly encryptionKey: kms.IKey | undefined,
  ) {}
}

/** Options of {@link CloudTrailSource.s3Bucket}. */
export interface CloudTrailS3Options {
  /**
   * Key prefix in front of `AWSLogs/` (the trail's `S3KeyPrefix`), without a trailing slash.
   *
   * @default - no prefix
   */
  readonly prefix?: string;
  /**
   * The KMS key the trail encrypts its files with (the trail's `KMSKeyId`).
   *
   * @default - the bucket's own key, if the bucket was imported with one; else none
   */
  readonly encryptionKey?: kms.IKey;
}
