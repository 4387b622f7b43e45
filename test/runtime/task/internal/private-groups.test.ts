import type { Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../../runtime/errors/logger.ts';
import { deletePrivateGroups } from '../../../../runtime/task/internal/private-groups.ts';

/** An admin whose deleteGroups fails as kafkajs does (KafkaJSDeleteGroupsError lists the groups), or not at all. */
function fakeAdmin(failure?: Error) {
  const deleted: string[][] = [];
  const admin = {
    deleteGroups: async (groupIds: string[]) => {
      deleted.push(groupIds);
      if (failure) throw failure;
      return groupIds.map((groupId) => ({ groupId, errorCode: 0 }));
    },
  } as unknown as Admin;
  return { admin, deleted };
}

function recordingLogger() {
  const warnings: string[] = [];
  const logger: Logger = { warn: (message) => void warnings.push(message), error: (message) => void warnings.push(message) };
  return { logger, warnings };
}

function deleteGroupsError(groups: { groupId: string; type: string }[]): Error {
  return Object.assign(new Error('Error in DeleteGroups'), { groups: groups.map((g) => ({ groupId: g.groupId, errorCode: 1, error: { type: g.type, message: g.type } })) });
}

describe('deletePrivateGroups', () => {
  it('deletes the given groups in one request', async () => {
    const { admin, deleted } = fakeAdmin();
    const { logger, warnings } = recordingLogger();
    await deletePrivateGroups(admin, ['app-restore-x', 'app-global-x'], logger);
    expect(deleted).toEqual([['app-restore-x', 'app-global-x']]);
    expect(warnings).toEqual([]);
  });

  it('takes a group that is already gone as deleted', async () => {
    const { admin } = fakeAdmin(deleteGroupsError([{ groupId: 'app-global-x', type: 'GROUP_ID_NOT_FOUND' }]));
    const { logger, warnings } = recordingLogger();
    await deletePrivateGroups(admin, ['app-global-x'], logger);
    expect(warnings).toEqual([]);
  });

  it('logs any other failure, naming the group and the reason, and does not throw', async () => {
    const { admin } = fakeAdmin(deleteGroupsError([{ groupId: 'app-restore-x', type: 'NON_EMPTY_GROUP' }]));
    const { logger, warnings } = recordingLogger();
    await deletePrivateGroups(admin, ['app-restore-x'], logger);
    expect(warnings).toEqual(["deleting the instance's private consumer groups failed; they stay on the broker: app-restore-x: NON_EMPTY_GROUP"]);

    const down = recordingLogger();
    await deletePrivateGroups(fakeAdmin(new Error('Connection error')).admin, ['app-restore-x'], down.logger);
    expect(down.warnings).toEqual(["deleting the instance's private consumer groups failed; they stay on the broker: Connection error"]);
  });

  it('sends nothing for no groups', async () => {
    const { admin, deleted } = fakeAdmin();
    await deletePrivateGroups(admin, [], recordingLogger().logger);
    expect(deleted).toEqual([]);
  });
});
