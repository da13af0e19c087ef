import { createHash } from 'node:crypto';
import type { DesiredItem } from '@app/domain';

type Desired = readonly DesiredItem<unknown>[];

/** Every mailbox job of a run gets the same snapshot array (SnapshotCache): hashed once. */
const snapshotDigests = new WeakMap<Desired, string>();

/**
 * What a complete sync made the folder hold: the snapshot's keys and content hashes, the list's
 * settings (policy, deletions, photos) and the folder. Equal fingerprints and an empty folder
 * delta mean the plan would be empty, so the mailbox's map need not be read at all.
 */
export function appliedFingerprint(desired: Desired, settings: string, folderId: string): string {
  let digest = snapshotDigests.get(desired);
  if (digest === undefined) {
    const lines = desired.map(
      (d) => `${d.sourceKey}\u0000${d.contentHash}\u0000${(d.alternateKeys ?? []).join('\u0001')}`,
    );
    lines.sort();
    const hash = createHash('sha256');
    for (const line of lines) hash.update(`${line}\n`);
    digest = hash.digest('hex');
    snapshotDigests.set(desired, digest);
  }
  return createHash('sha256').update(`${digest}\n${settings}\n${folderId}`).digest('hex');
}
