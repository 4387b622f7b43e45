import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../runtime/errors/runtime-errors.ts';
import { claimStateDir } from '../../../../runtime/task/internal/state-dir-claims.ts';

describe('claimStateDir', () => {
  const dir = resolve('state-dir-claims-test');

  it('refuses a second claim of one application folder until the first is released', () => {
    const release = claimStateDir(dir, 'app');
    let error: unknown;
    try {
      claimStateDir(join(dir, '.'), 'app');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      `invalid config 'stateDir': ${join(dir, 'app')} is used by another running KafkaStreams instance of 'app' in this process; give each instance its own stateDir`,
    );
    release();
    const again = claimStateDir(dir, 'app');
    release(); // a second release of the first claim does not free the new one
    expect(() => claimStateDir(dir, 'app')).toThrow(ConfigError);
    again();
  });

  it('lets other applications and other folders be claimed at the same time', () => {
    const releases = [claimStateDir(dir, 'app'), claimStateDir(dir, 'other-app'), claimStateDir(join(dir, 'b'), 'app')];
    for (const release of releases) release();
  });
});
