export type TierName = 'S' | 'M' | 'L';

export interface Tier {
  name: TierName;
  /** target mailboxes */
  mailboxes: number;
  /** contacts in the list (directory users) */
  contacts: number;
  /** source users changed for the incremental run */
  changed: number;
  /** Single events of the events phase's calendar (plus one weekly series). */
  events: number;
  /** on-premises mailboxes of the EWS phase (the same list, through EWS with NTLM) */
  ewsMailboxes: number;
  /** mailboxes the naive baseline runs on (extrapolated to all when fewer) */
  baselineSample: number;
  /** target length of the envelope run, seconds (sets the per-mailbox window budget) */
  envelopeSeconds: number;
  /** seconds of the simulator capacity loop */
  capacitySeconds: number;
  /** heap limit of the simulator process, MiB */
  simHeapMb: number;
  /** limit for any one run */
  runTimeoutMs: number;
}

export const TIERS: Record<TierName, Tier> = {
  S: {
    name: 'S',
    ewsMailboxes: 5,
    mailboxes: 20,
    contacts: 100,
    changed: 5,
    events: 20,
    baselineSample: 2,
    envelopeSeconds: 12,
    capacitySeconds: 4,
    simHeapMb: 1024,
    runTimeoutMs: 120_000,
  },
  M: {
    name: 'M',
    ewsMailboxes: 50,
    mailboxes: 500,
    contacts: 500,
    changed: 20,
    events: 50,
    baselineSample: 2,
    envelopeSeconds: 60,
    capacitySeconds: 10,
    simHeapMb: 3072,
    runTimeoutMs: 1_800_000,
  },
  L: {
    name: 'L',
    ewsMailboxes: 200,
    mailboxes: 10_000,
    contacts: 500,
    changed: 20,
    events: 50,
    baselineSample: 4,
    envelopeSeconds: 60,
    capacitySeconds: 10,
    simHeapMb: 4096,
    runTimeoutMs: 4 * 3_600_000,
  },
};
