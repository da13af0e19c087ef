import { ewsFailureOf } from './ews-failure';
import { ewsMailboxError } from './ews-mailbox-error';
import { EwsPace } from './ews-pace';

describe('EwsPace', () => {
  it('holds a mailbox until its BackOffMilliseconds has passed, other mailboxes not at all', () => {
    let now = 1_000;
    const pace = new EwsPace(() => now);
    pace.backOff('svc|a@x', 5_000);
    expect(pace.waitFor('svc|a@x')).toBe(5_000);
    expect(pace.waitFor('svc|b@x')).toBe(0);
    now += 4_999;
    expect(pace.waitFor('svc|a@x')).toBe(1);
    now += 1;
    expect(pace.waitFor('svc|a@x')).toBe(0);
  });

  it('a shorter back-off never shortens a longer one', () => {
    const pace = new EwsPace(() => 0);
    pace.backOff('k', 3_000);
    pace.backOff('k', 500);
    expect(pace.waitFor('k')).toBe(3_000);
  });
});

describe('EWS failures', () => {
  it('ErrorServerBusy becomes THROTTLED with its BackOffMilliseconds as retryAfterMs', () => {
    const error = ewsMailboxError(
      ewsFailureOf({ ErrorCode: 'ErrorServerBusy', Message: 'busy', BackOffMilliseconds: 2500 }),
      'a@x',
    );
    expect(error).toMatchObject({ code: 'THROTTLED', details: { retryAfterMs: 2500 } });
  });

  it.each([
    [{ HttpStatusCode: 401, Message: '401 Unauthorized' }, 'EWS_SIGN_IN_FAILED'],
    [{ HttpStatusCode: 404, Message: 'Not Found' }, 'EWS_ENDPOINT_NOT_FOUND'],
    [{ ErrorCode: 'ErrorImpersonateUserDenied', Message: 'no' }, 'EWS_IMPERSONATION_DENIED'],
    [{ ErrorCode: 'ErrorNonExistentMailbox', Message: 'no' }, 'MAILBOX_NOT_FOUND'],
    [{ ErrorCode: 'ErrorAccessDenied', Message: 'no' }, 'MAILBOX_OUT_OF_SCOPE'],
    [{ ErrorCode: 'ErrorSchemaValidation', Message: 'bad' }, 'EWS_REQUEST_REJECTED'],
    [{ message: 'getaddrinfo ENOTFOUND ews.invalid' }, 'EWS_HOST_UNREACHABLE'],
    [{ message: 'self-signed certificate in certificate chain' }, 'EWS_CERTIFICATE_UNTRUSTED'],
    [{ HttpStatusCode: 503, Message: 'Service Unavailable' }, 'TRANSIENT'],
  ])('%j maps to %s', (raw, code) => {
    expect(ewsMailboxError(ewsFailureOf(raw), 'a@x')?.code).toBe(code);
  });

  it('an item-level code is left to the caller', () => {
    expect(
      ewsMailboxError(ewsFailureOf({ ErrorCode: 'ErrorItemNotFound', Message: 'gone' }), 'a@x'),
    ).toBeUndefined();
  });
});
