/**
 * Co-partitioning of internal topics, as Kafka Streams enforces it: a repartition topic
 * without a fixed partition count that a subtopology reads together with external topics
 * takes the largest partition count of those external topics, not its writer's. A task
 * reads partition p of every input of its subtopology, so only then do records keyed k in
 * the repartition topic meet the table rows keyed k on the external topic: a repartitioned
 * stream joining a table on another partition count, a foreign-key join's registration
 * topic meeting the right table (and its response topic the left one). Topics read with no
 * external topic beside them stay sized by their writers.
 *
 * `internal`: the application's repartition and internal output topics, with their fixed
 * count if any; `externalCount`: the partition count of an external topic, if known.
 * Returns the counts this rule sets.
 */
export function copartitionedCounts(
  subtopologies: readonly { readonly sourceTopics: readonly string[] }[],
  internal: ReadonlyMap<string, number | undefined>,
  externalCount: (topic: string) => number | undefined,
): Map<string, number> {
  const pinned = new Map<string, number>();
  for (const { sourceTopics } of subtopologies) {
    const external = sourceTopics.filter((t) => !internal.has(t)).map(externalCount).filter((n): n is number => n !== undefined);
    if (external.length === 0) continue;
    const n = Math.max(...external);
    for (const t of sourceTopics) if (internal.has(t) && internal.get(t) === undefined) pinned.set(t, Math.max(pinned.get(t) ?? 0, n));
  }
  return pinned;
}
