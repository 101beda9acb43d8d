import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DatasetStore, OhlcvColumns } from '../../ports/dataset-store';

/** The six columns in the order they are stored, each `length` float64 values. */
const COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;
const BYTES_PER_VALUE = 8;
/** True on the platforms Node runs on (x64, arm64); the stored layout is little-endian regardless. */
const PLATFORM_IS_LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** A stored data set whose object does not hold six equal float64 columns. */
export class DatasetCorruptError extends Error {
  override readonly name = 'DatasetCorruptError';
  constructor(key: string, problem: string) {
    super(
      `Data set object ${key} is corrupt: ${problem}. Delete it and submit the data again to store it anew.`,
    );
  }
}

/** Settings of one {@link S3DatasetStore}. */
export interface S3DatasetStoreOptions {
  /** The S3 client; its owner configures region, endpoint and credentials. */
  readonly s3: S3Client;
  /** The artifacts bucket. */
  readonly bucket: string;
}

/** The S3 key of a data set: `datasets/<hash>.bin`. */
export function datasetKey(hash: string): string {
  return `datasets/${hash}.bin`;
}

/**
 * Data sets in S3 under `datasets/<hash>.bin`: the six float64 columns (time, open, high, low, close, volume)
 * concatenated, little-endian, with the market, file name and length as object metadata (URI-encoded, since S3
 * metadata is ASCII). A hash names its contents, so a stored object is never replaced.
 */
export class S3DatasetStore implements DatasetStore {
  private readonly s3: S3Client;
  private readonly bucket: string;

  constructor(options: S3DatasetStoreOptions) {
    this.s3 = options.s3;
    this.bucket = options.bucket;
  }

  /**
   * Stores the data set unless an object with its hash exists: HeadObject first, then PutObject with
   * `IfNoneMatch: '*'` so that of two concurrent writers on S3 only the first stores it (servers that ignore the
   * condition, such as some emulators, let the second overwrite identical bytes).
   */
  async put(dataset: { hash: string; market: string; name: string; bars: OhlcvColumns }): Promise<void> {
    const key = datasetKey(dataset.hash);
    if (await this.exists(key)) return;
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: encodeColumns(dataset.bars),
          ContentType: 'application/octet-stream',
          IfNoneMatch: '*',
          Metadata: {
            market: encodeURIComponent(dataset.market),
            name: encodeURIComponent(dataset.name),
            length: String(dataset.bars.length),
          },
        }),
      );
    } catch (error) {
      // Another writer stored the same hash between our HeadObject and PutObject: the data set is stored.
      if (!isStatus(error, 412) && !isStatus(error, 409)) throw error;
    }
  }

  /** The data set with this hash as aligned Float64Array columns, or undefined when none is stored. */
  async get(hash: string): Promise<OhlcvColumns | undefined> {
    const key = datasetKey(hash);
    let bytes: Uint8Array;
    let storedLength: string | undefined;
    try {
      const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (response.Body === undefined) throw new DatasetCorruptError(key, 'S3 returned no body');
      bytes = await response.Body.transformToByteArray();
      storedLength = response.Metadata?.length;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const bars = decodeColumns(key, bytes);
    if (storedLength !== undefined && Number(storedLength) !== bars.length) {
      throw new DatasetCorruptError(
        key,
        `it holds ${bars.length} bars but its metadata says ${storedLength}`,
      );
    }
    return bars;
  }

  private async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }
}

/** The columns as one little-endian buffer, column after column. */
function encodeColumns(bars: OhlcvColumns): Uint8Array {
  const blob = new Uint8Array(bars.length * BYTES_PER_VALUE * COLUMNS.length);
  const view = new DataView(blob.buffer);
  COLUMNS.forEach((column, index) => {
    const source = bars[column];
    const offset = index * bars.length * BYTES_PER_VALUE;
    if (PLATFORM_IS_LITTLE_ENDIAN) {
      blob.set(new Uint8Array(source.buffer, source.byteOffset, bars.length * BYTES_PER_VALUE), offset);
    } else {
      for (let i = 0; i < bars.length; i += 1)
        view.setFloat64(offset + i * BYTES_PER_VALUE, source[i]!, true);
    }
  });
  return blob;
}

/** Reads the six columns into one fresh (so 8-byte aligned) Float64Array. */
function decodeColumns(key: string, bytes: Uint8Array): OhlcvColumns {
  const rowBytes = BYTES_PER_VALUE * COLUMNS.length;
  if (bytes.byteLength % rowBytes !== 0) {
    throw new DatasetCorruptError(key, `its ${bytes.byteLength} bytes are not a whole number of bars`);
  }
  const length = bytes.byteLength / rowBytes;
  const values = new Float64Array(length * COLUMNS.length);
  if (PLATFORM_IS_LITTLE_ENDIAN) {
    new Uint8Array(values.buffer).set(bytes);
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < values.length; i += 1) values[i] = view.getFloat64(i * BYTES_PER_VALUE, true);
  }
  const column = (index: number) => values.subarray(index * length, (index + 1) * length);
  return {
    time: column(0),
    open: column(1),
    high: column(2),
    low: column(3),
    close: column(4),
    volume: column(5),
    length,
  };
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

function isStatus(error: unknown, status: number): boolean {
  return statusOf(error) === status;
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: unknown } | undefined)?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || (isStatus(error, 404) && name !== 'NoSuchBucket');
}
