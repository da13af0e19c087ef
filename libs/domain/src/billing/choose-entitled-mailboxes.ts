/** A mailbox a tenant targets or syncs, for choosing which ones its seats cover. */
export interface SeatCandidate {
  id: string;
  /** Sort name (principal name or address), lower-cased by the caller or not: compared as is. */
  name: string;
  /** Synced before (by any of the tenant's lists). */
  synced: boolean;
}

/**
 * Which mailboxes a run may sync under a tenant-wide limit, deterministically: the tenant's
 * mailboxes already synced first, then the others, each group by name (then id). A mailbox is
 * counted once however many lists reach it: `candidates` are the tenant's synced mailboxes and
 * this run's targets; the run's targets inside the first `limit` are entitled, the other
 * targets frozen (left as they are: neither updated nor cleaned up).
 */
export function chooseEntitledMailboxes(
  targets: readonly string[],
  candidates: readonly SeatCandidate[],
  limit: number,
): { entitled: string[]; frozen: string[] } {
  const ranked = [...new Map(candidates.map((c) => [c.id, c])).values()].sort(
    (a, b) =>
      Number(b.synced) - Number(a.synced) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const covered = new Set(ranked.slice(0, Math.max(0, limit)).map((c) => c.id));
  const entitled: string[] = [];
  const frozen: string[] = [];
  for (const id of targets) (covered.has(id) ? entitled : frozen).push(id);
  return { entitled, frozen };
}
