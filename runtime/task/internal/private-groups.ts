import type { Admin } from 'kafkajs';
import type { Logger } from '../../errors/logger.ts';

/**
 * The consumer groups private to one instance. Kafka Streams reads changelogs and global
 * topics with `assign()` and no group; kafkajs cannot consume without one, so each of these
 * readers is the only member of a group named after the instance's process id. They never
 * commit offsets and no other instance ever joins them, so they are deleted at `close()`
 * (else every start leaves its empty groups on the broker). The application's own group
 * (`applicationId`) holds the committed offsets and is never one of them.
 */
export const privateGroupIds = {
  /** The changelog reader of the task manager (restoration). */
  restore: (applicationId: string, clientId: string, processId: string): string => `${applicationId}-restore-${clientId}-${processId}`,
  /** The global-store reader. */
  global: (applicationId: string, processId: string): string => `${applicationId}-global-${processId}`,
};

/**
 * Deletes `groupIds` once their only member has left (its consumer disconnected), best
 * effort: a group already gone is fine, any other failure is logged and never thrown.
 */
export async function deletePrivateGroups(admin: Admin, groupIds: readonly string[], logger: Logger): Promise<void> {
  if (groupIds.length === 0) return;
  try {
    await admin.deleteGroups([...groupIds]);
  } catch (err) {
    const failed = ((err as { groups?: { groupId: string; error?: { type?: string; message?: string } }[] }).groups ?? []).filter(
      (g) => g.error?.type !== 'GROUP_ID_NOT_FOUND',
    );
    if ((err as { groups?: unknown }).groups !== undefined && failed.length === 0) return;
    const reasons = failed.length > 0 ? failed.map((g) => `${g.groupId}: ${g.error?.type ?? g.error?.message ?? 'unknown'}`).join(', ') : (err as Error).message;
    logger.warn(`deleting the instance's private consumer groups failed; they stay on the broker: ${reasons}`, { groups: [...groupIds] });
  }
}
