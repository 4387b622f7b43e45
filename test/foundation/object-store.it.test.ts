import { createHash, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { loadConfig } from '../../deploy/config.ts';

/**
 * Proves that @aws-sdk/client-s3 works against the local object store (SeaweedFS):
 * the object operations the lake needs, multipart uploads, and conditional writes
 * (`If-None-Match: *`), on which Iceberg commits rely.
 */
const config = loadConfig();
const Bucket = config.s3.bucket;
const s3 = new S3Client({
  endpoint: config.s3.endpoint,
  region: config.s3.region,
  forcePathStyle: true,
  credentials: { accessKeyId: config.s3.accessKeyId, secretAccessKey: config.s3.secretAccessKey },
});
const prefix = `foundation-test/${randomBytes(5).toString('hex')}/`;

afterAll(async () => {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix }));
  const Objects = (listed.Contents ?? []).map((o) => ({ Key: o.Key! }));
  if (Objects.length > 0) await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects } }));
  s3.destroy();
});

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function getBytes(Key: string): Promise<Uint8Array> {
  const res = await s3.send(new GetObjectCommand({ Bucket, Key }));
  return res.Body!.transformToByteArray();
}

/** The S3 error a call fails with (name and HTTP status), or a failure if it succeeds. */
async function s3Error(call: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  try {
    await call;
  } catch (err) {
    if (err instanceof S3ServiceException) return { name: err.name, status: err.$metadata.httpStatusCode };
    throw err;
  }
  throw new Error('expected the S3 call to fail, it succeeded');
}

describe('@aws-sdk/client-s3 against the local object store', () => {
  it('puts, gets, lists and deletes objects', async () => {
    const keys = ['a.txt', 'b/c.txt', 'b/d.txt'].map((k) => prefix + k);
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket, Key, Body: `body of ${Key}`, ContentType: 'text/plain' }));

    expect(new TextDecoder().decode(await getBytes(keys[1]!))).toBe(`body of ${keys[1]}`);
    const head = await s3.send(new GetObjectCommand({ Bucket, Key: keys[0] }));
    expect(head.ContentType).toBe('text/plain');
    expect(head.ContentLength).toBe(`body of ${keys[0]}`.length);

    const all = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix }));
    expect(all.Contents?.map((o) => o.Key)).toEqual(keys);
    const dirs = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, Delimiter: '/' }));
    expect(dirs.Contents?.map((o) => o.Key)).toEqual([keys[0]]);
    expect(dirs.CommonPrefixes?.map((p) => p.Prefix)).toEqual([`${prefix}b/`]);
    const page1 = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, MaxKeys: 2 }));
    expect(page1.IsTruncated).toBe(true);
    const page2 = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, MaxKeys: 2, ContinuationToken: page1.NextContinuationToken }));
    expect([...page1.Contents!, ...page2.Contents!].map((o) => o.Key)).toEqual(keys);

    await s3.send(new DeleteObjectCommand({ Bucket, Key: keys[0] }));
    expect(await s3Error(s3.send(new GetObjectCommand({ Bucket, Key: keys[0] })))).toEqual({ name: 'NoSuchKey', status: 404 });
    const after = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix }));
    expect(after.Contents?.map((o) => o.Key)).toEqual(keys.slice(1));
  });

  it('runs a multipart upload of three parts (5 MiB, 5 MiB, 1 MiB) and reads back the same bytes', async () => {
    const Key = `${prefix}multipart.bin`;
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(5 * 1024 * 1024), randomBytes(1024 * 1024)];
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    expect(UploadId).toBeTruthy();
    const etags: string[] = [];
    for (const [i, Body] of parts.entries()) {
      const res = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body }));
      etags.push(res.ETag!);
    }
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    expect(done.Key).toBe(Key);

    const whole = Buffer.concat(parts);
    const read = await getBytes(Key);
    expect(read.byteLength).toBe(whole.byteLength);
    expect(sha256(read)).toBe(sha256(whole));
  });

  it('rejects a second If-None-Match: * put of the same key with 412 and keeps the first body', async () => {
    const Key = `${prefix}conditional.json`;
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'first', IfNoneMatch: '*' }));
    const err = await s3Error(s3.send(new PutObjectCommand({ Bucket, Key, Body: 'second', IfNoneMatch: '*' })));
    expect(err).toEqual({ name: 'PreconditionFailed', status: 412 });
    expect(new TextDecoder().decode(await getBytes(Key))).toBe('first');
  });

  it('lets exactly one of several concurrent If-None-Match: * puts of one key win', async () => {
    const Key = `${prefix}race.json`;
    const writers = Array.from({ length: 6 }, (_, i) => `writer-${i}`);
    const results = await Promise.allSettled(writers.map((Body) => s3.send(new PutObjectCommand({ Bucket, Key, Body, IfNoneMatch: '*' }))));
    const winners = writers.filter((_, i) => results[i]!.status === 'fulfilled');
    expect(winners.length).toBe(1);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as S3ServiceException).$metadata.httpStatusCode).toBe(412);
    }
    expect(new TextDecoder().decode(await getBytes(Key))).toBe(winners[0]);
  });
});
