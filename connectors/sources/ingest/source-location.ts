import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { IngestError } from './ingest-error.ts';

/** Where an ingest reads: a local file or folder, or an S3 prefix. */
export type SourceLocation = { kind: 'local'; path: string } | { kind: 's3'; bucket: string; prefix: string };

/** The places an ingest may read from; anything else is refused. */
export interface SourceRoots {
  /** Local folders (resolved through symlinks). */
  local: readonly string[];
  /** S3 roots as s3://bucket/prefix (prefix may be empty). */
  s3: readonly string[];
}

/**
 * Parses and confines a location. A local path is resolved against the working folder and
 * through symlinks, and must lie inside one of the local roots; an S3 location must name
 * an allowed bucket and prefix, and its key may not contain `.` or `..` segments. Both
 * refusals are IngestError('OUTSIDE_ROOTS') naming the location and the roots.
 */
export function resolveLocation(text: string, roots: SourceRoots): SourceLocation {
  if (text.startsWith('s3://')) {
    const rest = text.slice(5);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    const prefix = slash < 0 ? '' : rest.slice(slash + 1);
    if (!bucket) throw new IngestError('BAD_LOCATION', `"${text}" names no bucket`);
    if (prefix.split('/').some((seg) => seg === '..' || seg === '.')) {
      throw new IngestError('OUTSIDE_ROOTS', `"${text}": "." and ".." segments are not allowed in S3 keys`);
    }
    const allowed = roots.s3.some((root) => {
      const r = root.replace(/^s3:\/\//, '');
      const [rb, ...rp] = r.split('/');
      const rprefix = rp.join('/');
      return rb === bucket && prefix.startsWith(rprefix);
    });
    if (!allowed) throw new IngestError('OUTSIDE_ROOTS', `"${text}" is outside the configured S3 roots (${roots.s3.join(', ') || 'none'})`);
    return { kind: 's3', bucket, prefix };
  }
  const outside = (): IngestError =>
    new IngestError('OUTSIDE_ROOTS', `"${text}" is outside the configured roots (${roots.local.join(', ') || 'none'})`);
  const absolute = resolve(text);
  // Lexically first (so nothing is revealed about paths outside), then through symlinks.
  if (!roots.local.some((root) => within(resolve(root), absolute))) throw outside();
  let real: string;
  try {
    real = realpathSync(absolute);
  } catch {
    throw new IngestError('NOT_FOUND', `"${text}" does not exist`);
  }
  const inside = roots.local.some((root) => {
    try {
      return within(realpathSync(resolve(root)), real);
    } catch {
      return false;
    }
  });
  if (!inside) throw outside();
  return { kind: 'local', path: real };
}

function within(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
