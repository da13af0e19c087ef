import { XhrApi } from '@ewsjs/xhr';
import {
  ConnectingIdType,
  ExchangeCredentials,
  ExchangeService,
  ExchangeVersion,
  ImpersonatedUserId,
  Uri,
} from 'ews-javascript-api';
import { Agent } from 'node:https';
import type { EwsConnection } from './ews-connection';
import { EwsBasicProvider } from './ews-basic-provider';
import { EwsNtlmProvider } from './ews-ntlm-provider';

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

/**
 * Builds an ExchangeService per tenant connection (and impersonated mailbox): its own XHR
 * instance with its own sign-in provider and agent, never ews-javascript-api's global XHR
 * configuration, so tenants' credentials cannot mix inside one worker.
 */
export function createEwsService(
  connection: EwsConnection,
  impersonate?: string,
  options: { timeoutMs?: number } = {},
): EwsServiceHandle {
  const agent = new Agent({
    keepAlive: true,
    maxSockets: 1,
    ...(connection.caPem ? { ca: connection.caPem } : {}),
  });
  const provider =
    connection.authMode === 'basic'
      ? new EwsBasicProvider(connection.username, connection.password, agent)
      : new EwsNtlmProvider(connection.username, connection.password, agent);
  const xhr = new XhrApi({ rejectUnauthorized: true, httpsAgent: agent });
  xhr.setAuthProvider(provider as never);
  const service = new ExchangeService(ExchangeVersion.Exchange2013_SP1);
  service.XHRApi = xhr;
  service.Credentials = new ProviderSignedCredentials();
  service.Url = new Uri(connection.serverUrl);
  service.Timeout = options.timeoutMs ?? 100_000;
  if (impersonate)
    service.ImpersonatedUserId = new ImpersonatedUserId(ConnectingIdType.SmtpAddress, impersonate);
  return {
    service,
    handshakes: () => (provider instanceof EwsNtlmProvider ? provider.handshakes : 0),
    close: () => agent.destroy(),
  };
}
