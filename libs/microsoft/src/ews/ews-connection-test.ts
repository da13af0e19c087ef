import {
  BasePropertySet,
  Folder,
  FolderId,
  PropertySet,
  WellKnownFolderName,
} from 'ews-javascript-api';
import type { EwsConnection } from './ews-connection';
import { ewsFailureOf } from './ews-failure';
import { ewsMailboxError } from './ews-mailbox-error';
import { createEwsService, ewsUrlProblem } from './ews-service-factory';

/** The answer of a connection test: ok, or a distinct code and a sentence saying what to fix. */
export interface EwsConnectionTestResult {
  ok: boolean;
  /** lower snake_case, e.g. ews_sign_in_failed; absent when ok. */
  code?: string;
  message: string;
  /** NTLM handshakes the test needed (0 with Basic). */
  handshakes: number;
}

/**
 * Tests a tenant's EWS connection as a sync would use it: one GetFolder of the Contacts folder
 * of `mailbox` through ExchangeImpersonation (or of the service account's own mailbox when no
 * address is given). DNS, TLS (an untrusted certificate), 401, a missing impersonation right,
 * an unknown mailbox and a URL that is not EWS (404) each answer their own code and sentence;
 * an http:// URL answers ews_https_required unless a lab setting allows it.
 */
export async function testEwsConnection(
  connection: EwsConnection,
  mailbox: string | null,
  options: { timeoutMs?: number; allowHttp?: boolean } = {},
): Promise<EwsConnectionTestResult> {
  // https only unless a lab setting allows http: nothing is sent over http otherwise
  const problem = ewsUrlProblem(connection.serverUrl, options.allowHttp ?? false);
  if (problem) return { ok: false, code: 'ews_https_required', message: problem, handshakes: 0 };
  const handle = createEwsService(connection, mailbox ?? undefined, {
    timeoutMs: options.timeoutMs ?? 20_000,
    allowHttp: options.allowHttp,
  });
  try {
    const folder = new FolderId(WellKnownFolderName.Contacts);
    await Folder.Bind(handle.service, folder, new PropertySet(BasePropertySet.IdOnly));
    return {
      ok: true,
      message: mailbox
        ? `signed in and opened the Contacts folder of ${mailbox} through impersonation`
        : 'signed in and opened the service account’s own Contacts folder; give a mailbox address to test impersonation',
      handshakes: handle.handshakes(),
    };
  } catch (error) {
    const failure = ewsFailureOf(error);
    if (!mailbox && failure.responseCode === 'ErrorMissingEmailAddress')
      return {
        ok: true,
        message:
          'signed in (the service account has no mailbox of its own); give a mailbox address to test impersonation',
        handshakes: handle.handshakes(),
      };
    const mapped = ewsMailboxError(failure, mailbox ?? 'the service account');
    return {
      ok: false,
      code: (mapped?.code ?? 'EWS_REQUEST_REJECTED').toLowerCase(),
      message:
        mapped?.message ?? `EWS answered ${failure.responseCode ?? ''} ${failure.message}`.trim(),
      handshakes: handle.handshakes(),
    };
  } finally {
    handle.close();
  }
}
