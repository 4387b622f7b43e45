import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { IcebergError } from '../errors.ts';

/** Where table files live: reads and writes whole objects by `s3://bucket/key` URI. */
export interface FileIO {
  /** Writes a new object; with `ifNoneMatch` it fails (ALREADY_EXISTS) if one is there. */
  write(uri: string, body: Uint8Array, opts?: { ifNoneMatch?: boolean }): Promise<void>;
  read(uri: string): Promise<Buffer>;
  /** Objects under a prefix, with size and last-modified time. */
  list(prefixUri: string): Promise<{ uri: string; size: number; lastModifiedMs: number }[]>;
  deleteMany(uris: string[]): Promise<void>;
  close(): void;
}

export interface S3Settings {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

function split(uri: string): { bucket: string; key: string } {
  const m = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new IcebergError('BAD_LOCATION', `"${uri}" is not an s3:// location`);
  return { bucket: m[1]!, key: m[2]! };
}

/**
 * FileIO on an S3-compatible store. Network failures and 5xx answers become
 * retriable IcebergErrors (code STORE_UNAVAILABLE), so that callers can back off and
 * retry without losing what they were writing.
 */
export class S3FileIO implements FileIO {
  private readonly s3: S3Client;

  constructor(settings: S3Settings, extra: Partial<S3ClientConfig> = {}) {
    this.s3 = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      forcePathStyle: true,
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      maxAttempts: 2,
      ...extra,
    });
  }

  async write(uri: string, body: Uint8Array, opts: { ifNoneMatch?: boolean } = {}): Promise<void> {
    const { bucket, key } = split(uri);
    await this.call(`write ${uri}`, () =>
      this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...(opts.ifNoneMatch ? { IfNoneMatch: '*' } : {}) })),
    );
  }

  async read(uri: string): Promise<Buffer> {
    const { bucket, key } = split(uri);
    const res = await this.call(`read ${uri}`, () => this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
    return Buffer.from(await res.Body!.transformToByteArray());
  }

  async list(prefixUri: string): Promise<{ uri: string; size: number; lastModifiedMs: number }[]> {
    const { bucket, key } = split(prefixUri);
    const out: { uri: string; size: number; lastModifiedMs: number }[] = [];
    let token: string | undefined;
    do {
      const res = await this.call(`list ${prefixUri}`, () =>
        this.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, ContinuationToken: token })),
      );
      for (const o of res.Contents ?? []) out.push({ uri: `s3://${bucket}/${o.Key}`, size: o.Size ?? 0, lastModifiedMs: o.LastModified?.getTime() ?? 0 });
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  async deleteMany(uris: string[]): Promise<void> {
    for (let i = 0; i < uris.length; i += 500) {
      const batch = uris.slice(i, i + 500).map(split);
      const bucket = batch[0]!.bucket;
      await this.call('delete', () =>
        this.s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((b) => ({ Key: b.key })), Quiet: true } })),
      );
    }
  }

  close(): void {
    this.s3.destroy();
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number }; code?: string };
      const status = e.$metadata?.httpStatusCode;
      if (status === 412 || e.name === 'PreconditionFailed') throw new IcebergError('ALREADY_EXISTS', `${what}: object already exists`, { cause: err });
      if (status === 404 || e.name === 'NoSuchKey') throw new IcebergError('NOT_FOUND', `${what}: no such object`, { cause: err });
      if (status === undefined || status >= 500) {
        throw new IcebergError('STORE_UNAVAILABLE', `${what}: object store unavailable (${e.name ?? e.code ?? 'error'})`, { cause: err, retriable: true });
      }
      throw new IcebergError('STORE_ERROR', `${what}: ${(err as Error).message}`, { cause: err });
    }
  }
}
