import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';

/**
 * Basic sign-in for one ExchangeService's XHR instance (never the library's global config): the
 * header is added per request on this instance only, over the connection's own agent (its CA;
 * an http agent where a lab allows http://).
 * `client` null: the XHR instance uses its own axios client.
 */
export class EwsBasicProvider {
  readonly providerName = 'basic';
  readonly client = null;

  constructor(
    private readonly username: string,
    private readonly password: string,
    private readonly agent: HttpAgent | HttpsAgent,
  ) {}

  async preCall<T extends { url?: string; headers?: unknown }>(options: T): Promise<T> {
    const headers = { ...(options.headers as Record<string, string>) };
    delete headers.authorization;
    headers.Authorization = `Basic ${Buffer.from(`${this.username}:${this.password}`, 'utf8').toString('base64')}`;
    const agent = options.url?.startsWith('http:')
      ? { httpAgent: this.agent }
      : { httpsAgent: this.agent };
    return { ...options, headers, ...agent };
  }
}
