/** What libs/config hands to KeyRing (parsed from ENCRYPTION_KEYS / ENCRYPTION_ACTIVE_KEY). */
export interface KeyRingConfig {
  /** Key used for new encryptions. */
  activeKeyId: string;
  /** 32-byte master keys, oldest first: rotation appends a new key and activates it. */
  keys: ReadonlyArray<{ id: string; material: Buffer }>;
  /** Key the blind index is derived from; defaults to the first (oldest) key. See KeyRing. */
  blindIndexKeyId?: string;
}
