import { createHash } from 'node:crypto';

/** How long a refused password is not tried again (the next run after it tries once more). */
export const SIGN_IN_REFUSAL_MS = 30 * 60_000;
/** How long an accepted password counts as good: after it, its next request goes alone again. */
export const SIGN_IN_ACCEPTED_MS = 30 * 60_000;
/** Fingerprints kept at most (the oldest accepted go first; refusals and sign-ins in flight stay). */
export const SIGN_IN_FINGERPRINTS = 10_000;

type State =
  | { kind: 'ok'; until: number }
  | { kind: 'refused'; until: number }
  | { kind: 'trying'; settled: Promise<void> };

/**
 * A refused sign-in is not repeated: Active Directory locks an account out after a few wrong
 * passwords (often 5 to 10 in 30 minutes), and a run of many mailboxes would otherwise send one
 * wrong sign-in per mailbox. Per connection fingerprint (server, user name and a hash of the
 * password, never the password): the first request of an unknown fingerprint goes alone, the
 * others wait for its answer; once refused, requests fail at once without reaching Exchange until
 * the password changes (a new fingerprint) or SIGN_IN_REFUSAL_MS have passed. An accepted
 * password counts as good for SIGN_IN_ACCEPTED_MS (it may change in Active Directory meanwhile):
 * then its next request goes alone again. Fingerprints whose state lapsed are removed whenever a
 * new one comes, and at most `maxFingerprints` are kept: old passwords do not pile up.
 */
export class EwsSignInGuard {
  private readonly states = new Map<string, State>();

  constructor(
    private readonly refusalMs = SIGN_IN_REFUSAL_MS,
    private readonly now: () => number = Date.now,
    private readonly acceptedMs = SIGN_IN_ACCEPTED_MS,
    private readonly maxFingerprints = SIGN_IN_FINGERPRINTS,
  ) {}

  /** Fingerprints held (for tests). */
  get size(): number {
    return this.states.size;
  }

  static fingerprint(serverUrl: string, username: string, password: string): string {
    return createHash('sha256')
      .update(`${serverUrl.toLowerCase()}\u0000${username.toLowerCase()}\u0000${password}`)
      .digest('base64url');
  }

  /**
   * Runs `fn` (one request) under the guard. `refused(error)` tells a refused sign-in (HTTP 401)
   * from other failures; `refusedError()` builds what a request that is not sent rejects with.
   */
  async run<T>(
    fingerprint: string,
    fn: () => Promise<T>,
    refused: (error: unknown) => boolean,
    refusedError: () => unknown,
  ): Promise<T> {
    for (;;) {
      const state = this.states.get(fingerprint);
      if (state?.kind === 'refused' || state?.kind === 'ok') {
        if (this.now() >= state.until) {
          this.states.delete(fingerprint);
          continue;
        }
        if (state.kind === 'refused') throw refusedError();
        return this.watch(fingerprint, fn, refused);
      }
      if (state?.kind === 'trying') {
        await state.settled;
        continue;
      }
      // unknown: this request goes alone, the others wait for its answer
      this.prune();
      let settle!: () => void;
      this.states.set(fingerprint, { kind: 'trying', settled: new Promise((r) => (settle = r)) });
      try {
        const result = await fn();
        // Set anew, so the states are in the order they were judged (prune drops the oldest).
        this.states.delete(fingerprint);
        this.states.set(fingerprint, { kind: 'ok', until: this.now() + this.acceptedMs });
        return result;
      } catch (error) {
        if (refused(error)) this.refuse(fingerprint);
        else this.states.delete(fingerprint);
        throw error;
      } finally {
        settle();
      }
    }
  }

  private async watch<T>(
    fingerprint: string,
    fn: () => Promise<T>,
    refused: (error: unknown) => boolean,
  ): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (refused(error)) this.refuse(fingerprint);
      throw error;
    }
  }

  private refuse(fingerprint: string): void {
    this.states.set(fingerprint, { kind: 'refused', until: this.now() + this.refusalMs });
  }

  /**
   * Drops the states that lapsed, then accepted ones (oldest first) while more than the bound
   * remain, keeping one free for the fingerprint that comes. Refusals in force and sign-ins in
   * flight are never dropped: dropping them would let a wrong password be tried again at once.
   */
  private prune(): void {
    const now = this.now();
    for (const [fingerprint, state] of this.states)
      if (state.kind !== 'trying' && now >= state.until) this.states.delete(fingerprint);
    for (const [fingerprint, state] of this.states) {
      if (this.states.size < this.maxFingerprints) return;
      if (state.kind === 'ok') this.states.delete(fingerprint);
    }
  }
}
