import { XhrApi } from '@ewsjs/xhr';
import {
  ConnectingIdType,
  ExchangeCredentials,
  ExchangeService,
  ExchangeVersion,
  ImpersonatedUserId,
  Uri,
} from 'ews-javascript-api';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { MicrosoftError } from '../microsoft-error';
import type { EwsAccountGate } from './ews-account-gate';
import type { EwsConnection } from './ews-connection';
import { EwsBasicProvider } from './ews-basic-provider';
import { EwsNtlmProvider } from './ews-ntlm-provider';
import { EwsSignInGuard } from './ews-sign-in-guard';
import { EWS_DEFAULT_TIMEOUT_MS } from './ews-timeout';

/** The library adds a Basic header from its credentials: ours add none (the provider signs). */
class ProviderSignedCredentials extends ExchangeCredentials {
  override PrepareWebRequest(): void {}
}

/** One ExchangeService with its transport, for one tenant's connection and one mailbox. */
export interface EwsServiceHandle {
  service: ExchangeService;
  /** NTLM handshakes sent (0 with Basic). */
  handshakes(): number;
  close(): void;
}

export interface EwsServiceOptions {
  /**
   * How long one request may go without an answer (default 100 s, the EWS Managed API's): it
   * then fails with ETIMEDOUT (TRANSIENT), its socket destroyed. Enforced by the sign-in
   * providers' transport; ews-javascript-api never applies ExchangeService.Timeout.
   */
  timeoutMs?: number;
  /** Requests in flight per service account, shared by every session of the process. */
  gate?: EwsAccountGate;
  /** Refused sign-ins not repeated (account lock-out), shared by every session of the process. */
  signIns?: EwsSignInGuard;
  /** Accept an http:// server URL (EWS_ALLOW_HTTP, a lab); otherwise https only. */
  allowHttp?: boolean;
}

/**
 * The EWS URL's problem, or undefined when it may be used: https only (the service account's
 * sign-in crosses the wire), http:// only where a lab setting allows it. Names the field.
 */
export function ewsUrlProblem(serverUrl: string, allowHttp: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    return 'serverUrl: not a URL; use https://<server>/EWS/Exchange.asmx';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:')
    return allowHttp
      ? undefined
      : 'serverUrl: the EWS URL must start with https:// (over http:// the service account’s sign-in would cross the network readable); EWS_ALLOW_HTTP=true allows http:// in a lab';
  return `serverUrl: expected an https:// URL, got ${url.protocol}`;
}

/** What a request not sent because its password was refused before rejects with (an HTTP 401). */
function refusedBefore(): unknown {
  const r: Record<string, unknown> = {
    status: 401,
    statusText: 'Unauthorized (refused before, not tried again)',
    responseText: '',
    headers: {},
  };
  r.getAllResponseHeaders = () => '';
  r.getResponseHeader = () => null;
  return r;
}

/**
 * Builds an ExchangeService per tenant connection (and impersonated mailbox): its own XHR
 * instance with its own sign-in provider and agent, never ews-javascript-api's global XHR
 * configuration, so tenants' credentials cannot mix inside one worker. Every request goes
 * through the process's per-account gate and sign-in guard when given.
 */
export function createEwsService(
  connection: EwsConnection,
  impersonate?: string,
  options: EwsServiceOptions = {},
): EwsServiceHandle {
  const problem = ewsUrlProblem(connection.serverUrl, options.allowHttp ?? false);
  if (problem) throw new MicrosoftError('EWS_HTTPS_REQUIRED', problem);
  const secure = new URL(connection.serverUrl).protocol === 'https:';
  const agent = secure
    ? new HttpsAgent({
        keepAlive: true,
        maxSockets: 1,
        ...(connection.caPem ? { ca: connection.caPem } : {}),
      })
    : new HttpAgent({ keepAlive: true, maxSockets: 1 });
  const timeoutMs = options.timeoutMs ?? EWS_DEFAULT_TIMEOUT_MS;
  const provider =
    connection.authMode === 'basic'
      ? new EwsBasicProvider(connection.username, connection.password, agent, timeoutMs)
      : new EwsNtlmProvider(connection.username, connection.password, agent, timeoutMs);
  const xhr = new XhrApi({ rejectUnauthorized: true, httpsAgent: agent });
  xhr.setAuthProvider(provider as never);
  const send = xhr.xhr.bind(xhr);
  const account = `${new URL(connection.serverUrl).host}|${connection.username}`;
  const fingerprint = EwsSignInGuard.fingerprint(
    connection.serverUrl,
    connection.username,
    connection.password,
  );
  const { gate, signIns } = options;
  const gated: typeof send = gate ? (o, p) => gate.run(account, () => send(o, p)) : send;
  xhr.xhr = signIns
    ? (o, p) =>
        signIns.run(
          fingerprint,
          () => gated(o, p),
          (e) => (e as { status?: number } | null)?.status === 401,
          refusedBefore,
        )
    : gated;
  const service = new ExchangeService(ExchangeVersion.Exchange2013_SP1);
  service.XHRApi = xhr;
  service.Credentials = new ProviderSignedCredentials();
  service.Url = new Uri(connection.serverUrl);
  // Informational only: the library never applies it (the providers enforce timeoutMs).
  service.Timeout = timeoutMs;
  if (impersonate)
    service.ImpersonatedUserId = new ImpersonatedUserId(ConnectingIdType.SmtpAddress, impersonate);
  return {
    service,
    handshakes: () => (provider instanceof EwsNtlmProvider ? provider.handshakes : 0),
    close: () => agent.destroy(),
  };
}
