import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointFile, checkpointKey } from '../../../runtime/state/checkpoint-file.ts';
import { tempStateDir } from './store-test-context.ts';

describe('CheckpointFile', () => {
  it('reads back what it wrote, 64-bit offsets included, and leaves no temporary file', async () => {
    const { dir, cleanup } = await tempStateDir();
    const taskDir = join(dir, 'app', '0_3');
    const checkpoint = new CheckpointFile(taskDir);
    expect(await checkpoint.read()).toBeUndefined();
    const offsets = new Map([
      [checkpointKey('app-counts-changelog', 3), 12345n],
      [checkpointKey('app-big-changelog', 3), 9007199254740993n],
    ]);
    await checkpoint.write(offsets);
    expect(await checkpoint.read()).toEqual(offsets);
    expect(JSON.parse(await readFile(join(taskDir, '.checkpoint'), 'utf8'))).toEqual({
      version: 1,
      offsets: { 'app-counts-changelog-3': '12345', 'app-big-changelog-3': '9007199254740993' },
    });
    expect(await readdir(taskDir)).toEqual(['.checkpoint']);
    await checkpoint.write(new Map([['app-counts-changelog-3', 20000n]]));
    expect(await checkpoint.read()).toEqual(new Map([['app-counts-changelog-3', 20000n]]));
    await cleanup();
  });

  it('delete removes it; wipe removes the whole task folder', async () => {
    const { dir, cleanup } = await tempStateDir();
    const checkpoint = new CheckpointFile(join(dir, 't'));
    await checkpoint.write(new Map([['x-0', 1n]]));
    await checkpoint.delete();
    expect(await checkpoint.read()).toBeUndefined();
    await checkpoint.delete();
    await checkpoint.write(new Map([['x-0', 1n]]));
    await writeFile(join(dir, 't', 'store-file'), 'x');
    await checkpoint.wipe();
    expect(await readdir(dir)).toEqual([]);
    await cleanup();
  });

  it.each([
    ['torn JSON', '{"version":1,"offs'],
    ['unknown version', '{"version":2,"offsets":{}}'],
    ['a non-numeric offset', '{"version":1,"offsets":{"t-0":"12a"}}'],
    ['a number instead of a string', '{"version":1,"offsets":{"t-0":12}}'],
  ])('treats %s as no checkpoint (full restore)', async (_label, text) => {
    const { dir, cleanup } = await tempStateDir();
    await writeFile(join(dir, '.checkpoint'), text);
    expect(await new CheckpointFile(dir).read()).toBeUndefined();
    await cleanup();
  });
});
