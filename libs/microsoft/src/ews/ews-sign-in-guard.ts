import { createHash } from 'node:crypto';

/** How long a refused password is not tried again (the next run after it tries once more). */
export const SIGN_IN_REFUSAL_MS = 30 * 60_000;

type State =
  { kind: 'ok' } | { kind: 'refused'; until: number } | { kind: 'trying'; settled: Promise<void> };

/**
 * A refused sign-in is not repeated: Active Directory locks an account out after a few wrong
 * passwords (often 5 to 10 in 30 minutes), and a run of many mailboxes would otherwise send one
 * wrong sign-in per mailbox. Per connection fingerprint (server, user name and a hash of the
 * password, never the password): the first request of an unknown fingerprint goes alone, the
 * others wait for its answer; once refused, requests fail at once without reaching Exchange until
 * the password changes (a new fingerprint) or SIGN_IN_REFUSAL_MS have passed.
 */
export class EwsSignInGuard {
  private readonly states = new Map<string, State>();

  constructor(
    private readonly refusalMs = SIGN_IN_REFUSAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

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
      if (state?.kind === 'refused') {
        if (this.now() < state.until) throw refusedError();
        this.states.delete(fingerprint);
        continue;
      }
      if (state?.kind === 'trying') {
        await state.settled;
        continue;
      }
      if (state?.kind === 'ok') return this.watch(fingerprint, fn, refused);
      // unknown: this request goes alone, the others wait for its answer
      let settle!: () => void;
      this.states.set(fingerprint, { kind: 'trying', settled: new Promise((r) => (settle = r)) });
      try {
        const result = await fn();
        this.states.set(fingerprint, { kind: 'ok' });
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
}
