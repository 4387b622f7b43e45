import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IngestError } from '../../../../connectors/sources/ingest/ingest-error.ts';
import { resolveLocation } from '../../../../connectors/sources/ingest/source-location.ts';

const base = mkdtempSync(join(tmpdir(), 'sh-roots-'));
const root = join(base, 'root');
mkdirSync(join(root, 'sub'), { recursive: true });
writeFileSync(join(root, 'sub', 'a.csv'), 'x\n');
writeFileSync(join(base, 'secret.csv'), 'x\n');
symlinkSync(join(base, 'secret.csv'), join(root, 'escape.csv'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const roots = { local: [root], s3: ['s3://streamhouse/ingest/'] };
const refusal = (text: string): string => {
  try {
    resolveLocation(text, roots);
  } catch (err) {
    expect(err).toBeInstanceOf(IngestError);
    return `${(err as IngestError).code}: ${(err as Error).message}`;
  }
  throw new Error(`${text} was accepted`);
};

describe('resolveLocation', () => {
  it('accepts paths inside a root, however spelled', () => {
    expect(resolveLocation(join(root, 'sub', '..', 'sub', 'a.csv'), roots)).toEqual({ kind: 'local', path: join(root, 'sub', 'a.csv') });
    expect(resolveLocation(root, roots)).toEqual({ kind: 'local', path: root });
  });

  it('refuses traversal, absolute escapes and symlinks out of the roots', () => {
    expect(refusal(join(root, '..', 'secret.csv'))).toBe(`OUTSIDE_ROOTS: "${join(root, '..', 'secret.csv')}" is outside the configured roots (${root})`);
    expect(refusal('/etc/passwd')).toBe(`OUTSIDE_ROOTS: "/etc/passwd" is outside the configured roots (${root})`);
    expect(refusal(join(root, 'escape.csv'))).toMatch(/^OUTSIDE_ROOTS: /);
    expect(refusal(`${root}-other/x.csv`)).toMatch(/^OUTSIDE_ROOTS: /);
    expect(refusal('/nonexistent/../etc/shadow')).toMatch(/^OUTSIDE_ROOTS: /);
    expect(refusal(join(root, 'missing.csv'))).toBe(`NOT_FOUND: "${join(root, 'missing.csv')}" does not exist`);
  });

  it('confines S3 locations to the allowed bucket and prefix, without dot segments', () => {
    expect(resolveLocation('s3://streamhouse/ingest/2026/', roots)).toEqual({ kind: 's3', bucket: 'streamhouse', prefix: 'ingest/2026/' });
    expect(refusal('s3://streamhouse/ingest/../warehouse/x')).toBe('OUTSIDE_ROOTS: "s3://streamhouse/ingest/../warehouse/x": "." and ".." segments are not allowed in S3 keys');
    expect(refusal('s3://streamhouse/warehouse/t')).toBe('OUTSIDE_ROOTS: "s3://streamhouse/warehouse/t" is outside the configured S3 roots (s3://streamhouse/ingest/)');
    expect(refusal('s3://other/ingest/x')).toMatch(/^OUTSIDE_ROOTS: /);
  });
});
