import {
  BasePropertySet,
  Folder,
  FolderId,
  PropertySet,
  WellKnownFolderName,
} from 'ews-javascript-api';
import { ewsFailureOf } from './ews-failure';
import { ewsMailboxError } from './ews-mailbox-error';
import { createEwsService, ewsUrlProblem } from './ews-service-factory';
import { EwsSignInGuard } from './ews-sign-in-guard';

const refused = (e: unknown) => (e as { status?: number }).status === 401;
const refusedError = () => Object.assign(new Error('not tried'), { status: 401, notTried: true });
const answer401 = () => Promise.reject(Object.assign(new Error('401'), { status: 401 }));

describe('EwsSignInGuard', () => {
  it('sends one sign-in of an unknown password, the others wait for it and are not sent once it is refused', async () => {
    const guard = new EwsSignInGuard();
    let sent = 0;
    const attempt = () =>
      guard.run(
        'fp',
        () => {
          sent++;
          return answer401();
        },
        refused,
        refusedError,
      );
    const results = await Promise.allSettled([attempt(), attempt(), attempt(), attempt()]);
    expect(sent).toBe(1);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(results.slice(1).map((r) => (r as PromiseRejectedResult).reason.notTried)).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('tries a refused password again after the refusal time, and another password at once', async () => {
    let now = 0;
    const guard = new EwsSignInGuard(30 * 60_000, () => now);
    let sent = 0;
    const attempt = (fp: string, ok: boolean) =>
      guard.run(
        fp,
        () => {
          sent++;
          return ok ? Promise.resolve('in') : answer401();
        },
        refused,
        refusedError,
      );
    await expect(attempt('old', false)).rejects.toMatchObject({ status: 401 });
    await expect(attempt('old', true)).rejects.toMatchObject({ notTried: true });
    expect(sent).toBe(1);
    await expect(attempt('new', true)).resolves.toBe('in');
    expect(sent).toBe(2);
    now += 30 * 60_000;
    await expect(attempt('old', true)).resolves.toBe('in');
    expect(sent).toBe(3);
  });

  it('an accepted password counts as good for a while; then its next request goes alone again (review N7)', async () => {
    let now = 0;
    const guard = new EwsSignInGuard(30 * 60_000, () => now, 10 * 60_000);
    let events: string[] = [];
    const slow = () =>
      guard.run(
        'fp',
        async () => {
          events.push('start');
          await new Promise((r) => setImmediate(r));
          events.push('end');
        },
        refused,
        refusedError,
      );
    const batch = async () => {
      events = [];
      await Promise.all([slow(), slow(), slow()]);
      return events.join(' ');
    };
    // Unknown: the first goes alone, the others after its answer (together).
    expect(await batch()).toBe('start end start start end end');
    // Known good: all at once.
    expect(await batch()).toBe('start start start end end end');
    now += 10 * 60_000;
    // No longer counted as good: alone first again.
    expect(await batch()).toBe('start end start start end end');
  });

  it('forgets the fingerprints whose state lapsed when a new one comes, and keeps at most the bound (review N7)', async () => {
    let now = 0;
    const guard = new EwsSignInGuard(30 * 60_000, () => now, 10 * 60_000, 3);
    const accept = (fp: string) =>
      guard.run(fp, () => Promise.resolve('in'), refused, refusedError);
    const refuse = (fp: string) =>
      expect(guard.run(fp, answer401, refused, refusedError)).rejects.toMatchObject({
        status: 401,
      });
    await accept('a');
    await refuse('b');
    expect(guard.size).toBe(2);
    now += 30 * 60_000;
    await accept('c');
    expect(guard.size).toBe(1);

    // Accepted ones over the bound go, the oldest first.
    await accept('d');
    await accept('e');
    await accept('f');
    expect(guard.size).toBe(3);
    // Two requests at once: one after the other while unknown (dropped), together when known.
    const pair = async (fp: string) => {
      const events: string[] = [];
      const request = () =>
        guard.run(
          fp,
          async () => {
            events.push('start');
            await new Promise((r) => setImmediate(r));
            events.push('end');
          },
          refused,
          refusedError,
        );
      await Promise.all([request(), request()]);
      return events.join(' ');
    };
    expect(await pair('c')).toBe('start end start end'); // the oldest: dropped for 'f'
    expect(await pair('f')).toBe('start start end end');
    expect(await pair('e')).toBe('start start end end');
    expect(guard.size).toBe(3); // 'd' made room for 'c'

    // Refusals in force are never dropped, even over the bound.
    const fresh = new EwsSignInGuard(30 * 60_000, () => now, 10 * 60_000, 2);
    for (const fp of ['x', 'y', 'z'])
      await expect(fresh.run(fp, answer401, refused, refusedError)).rejects.toMatchObject({
        status: 401,
      });
    expect(fresh.size).toBe(3);
    await expect(
      fresh.run('x', () => Promise.resolve('in'), refused, refusedError),
    ).rejects.toMatchObject({ notTried: true });
  });

  it('another failure than a refusal leaves the password unjudged; a known-good one runs in parallel', async () => {
    const guard = new EwsSignInGuard();
    await expect(
      guard.run('fp', () => Promise.reject(new Error('ECONNRESET')), refused, refusedError),
    ).rejects.toThrow('ECONNRESET');
    await guard.run('fp', () => Promise.resolve(1), refused, refusedError);
    let inFlight = 0;
    let peak = 0;
    const slow = () =>
      guard.run(
        'fp',
        async () => {
          peak = Math.max(peak, ++inFlight);
          await new Promise((r) => setImmediate(r));
          inFlight--;
        },
        refused,
        refusedError,
      );
    await Promise.all([slow(), slow(), slow()]);
    expect(peak).toBe(3);
  });

  it('through ews-javascript-api, a request not sent after a refusal is EWS_SIGN_IN_FAILED, and reaches no server', async () => {
    const guard = new EwsSignInGuard();
    const connection = {
      // .invalid never resolves: a request that went out would fail with ENOTFOUND instead
      serverUrl: 'https://exchange.contoso.invalid/EWS/Exchange.asmx',
      username: 'CONTOSO\\svc-sync',
      password: 'Wrong-Passw0rd',
      authMode: 'ntlm' as const,
      caPem: null,
    };
    const fp = EwsSignInGuard.fingerprint(
      connection.serverUrl,
      connection.username,
      connection.password,
    );
    await expect(guard.run(fp, answer401, refused, refusedError)).rejects.toBeDefined();
    const handle = createEwsService(connection, 'ann@contoso.test', { signIns: guard });
    try {
      const error = await Folder.Bind(
        handle.service,
        new FolderId(WellKnownFolderName.Contacts),
        new PropertySet(BasePropertySet.IdOnly),
      ).catch((e: unknown) => e);
      const mapped = ewsMailboxError(ewsFailureOf(error), 'ann@contoso.test');
      expect(mapped?.code).toBe('EWS_SIGN_IN_FAILED');
      expect(mapped?.message).not.toContain(connection.password);
      expect(handle.handshakes()).toBe(0);
    } finally {
      handle.close();
    }
  });
});

describe('the EWS URL', () => {
  it('is https only unless a lab allows http, and the refusal names the field', () => {
    expect(ewsUrlProblem('https://mail.contoso.com/EWS/Exchange.asmx', false)).toBeUndefined();
    expect(ewsUrlProblem('http://mail.contoso.com/EWS/Exchange.asmx', false)).toMatch(
      /^serverUrl: .*https:\/\/.*EWS_ALLOW_HTTP/,
    );
    expect(ewsUrlProblem('http://mail.contoso.com/EWS/Exchange.asmx', true)).toBeUndefined();
    expect(ewsUrlProblem('ftp://mail.contoso.com/EWS', true)).toMatch(/^serverUrl: /);
    expect(() =>
      createEwsService({
        serverUrl: 'http://mail.contoso.com/EWS/Exchange.asmx',
        username: 'svc',
        password: 'p',
        authMode: 'ntlm',
        caPem: null,
      }),
    ).toThrow(expect.objectContaining({ code: 'EWS_HTTPS_REQUIRED' }));
  });
});
