import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { SourceLocation } from './source-location.ts';

/** One file to ingest, local or in S3. */
export interface SourceFile {
  /** A local absolute path or s3://bucket/key. */
  readonly uri: string;
  readonly size: number;
  /** The whole content as a stream (compressed, as stored). */
  open(): Promise<Readable>;
  /** Reads bytes [start, end) (Parquet needs random access). */
  read(start: number, end: number): Promise<Buffer>;
  /**
   * What the content is, for checkpoints: sha256 of a local file, the ETag and size of an
   * S3 object (which S3 changes whenever the content changes).
   */
  identity(): Promise<string>;
}

/** The files at a location, sorted by URI: the file itself, or every file below a folder or prefix. */
export async function listFiles(location: SourceLocation, s3?: S3Client): Promise<SourceFile[]> {
  if (location.kind === 'local') {
    const st = statSync(location.path);
    const paths = st.isDirectory() ? walk(location.path) : [location.path];
    return paths.sort().map(localFile);
  }
  if (!s3) throw new Error('listFiles: an S3 location needs an S3 client');
  const out: SourceFile[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: location.prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      if (!o.Key || o.Key.endsWith('/')) continue;
      out.push(s3File(s3, location.bucket, o.Key, o.Size ?? 0, o.ETag ?? ''));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out.sort((a, b) => (a.uri < b.uri ? -1 : 1));
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.name.startsWith('.') ? [] : e.isDirectory() ? walk(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : [],
  );
}

function localFile(path: string): SourceFile {
  const size = statSync(path).size;
  return {
    uri: path,
    size,
    open: async () => createReadStream(path, { highWaterMark: 1 << 20 }),
    read: async (start, end) => {
      const chunks: Buffer[] = [];
      for await (const c of createReadStream(path, { start, end: end - 1 })) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    },
    identity: async () => {
      const hash = createHash('sha256');
      for await (const c of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(c as Buffer);
      return `sha256:${hash.digest('hex')}`;
    },
  };
}

function s3File(s3: S3Client, bucket: string, key: string, size: number, etag: string): SourceFile {
  const get = async (range?: string): Promise<Readable> => {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }));
    return res.Body as Readable;
  };
  return {
    uri: `s3://${bucket}/${key}`,
    size,
    open: () => get(),
    read: async (start, end) => {
      const chunks: Buffer[] = [];
      for await (const c of await get(`bytes=${start}-${end - 1}`)) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    },
    identity: async () => `s3etag:${etag.replace(/"/g, '')}:${size}`,
  };
}
