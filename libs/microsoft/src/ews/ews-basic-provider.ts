import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { EWS_DEFAULT_TIMEOUT_MS, ewsTimeoutMessage } from './ews-timeout';

/**
 * Basic sign-in for one ExchangeService's XHR instance (never the library's global config): the
 * header is added per request on this instance only, over the connection's own agent (its CA;
 * an http agent where a lab allows http://).
 * `client` null: the XHR instance uses its own axios client, with axios's `timeout`: a request
 * without an answer within `timeoutMs` (a wall clock until the answer's head, then the socket's
 * idle time) is aborted with ETIMEDOUT, as the NTLM provider's are.
 */
export class EwsBasicProvider {
  readonly providerName = 'basic';
  readonly client = null;

  constructor(
    private readonly username: string,
    private readonly password: string,
    private readonly agent: HttpAgent | HttpsAgent,
    private readonly timeoutMs = EWS_DEFAULT_TIMEOUT_MS,
  ) {}

  async preCall<T extends { url?: string; headers?: unknown }>(options: T): Promise<T> {
    const headers = { ...(options.headers as Record<string, string>) };
    delete headers.authorization;
    headers.Authorization = `Basic ${Buffer.from(`${this.username}:${this.password}`, 'utf8').toString('base64')}`;
    const agent = options.url?.startsWith('http:')
      ? { httpAgent: this.agent }
      : { httpsAgent: this.agent };
    return {
      ...options,
      headers,
      ...agent,
      timeout: this.timeoutMs,
      timeoutErrorMessage: ewsTimeoutMessage(this.timeoutMs),
      // ETIMEDOUT, not ECONNABORTED (axios's default code for a timeout)
      transitional: { clarifyTimeoutError: true },
    };
  }
}
