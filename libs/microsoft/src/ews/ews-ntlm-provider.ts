import { createType1Message, createType3Message, decodeType2Message } from '@ewsjs/ntlm-client';
import { request as httpRequest, type Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';

/**
 * NTLM sign-in for one ExchangeService's XHR instance. NTLM authenticates a TCP connection, so
 * the handshake (negotiate, challenge) and the SOAP request go over the same kept-alive socket
 * of the connection's own agent (one socket, its CA) — unlike @ewsjs/xhr's NtlmProvider, whose
 * agent ignores a custom CA. The MD4 of the NT hash comes from @ewsjs/ntlm-client's pure-JS
 * js-md4, so it works on Node 20+ where OpenSSL 3 dropped MD4. `handshakes` counts the extra
 * requests (reported beside the SOAP operations).
 */
export class EwsNtlmProvider {
  readonly providerName = 'ntlm';
  readonly client = null;
  handshakes = 0;
  private readonly user: string;
  private readonly domain: string;

  constructor(
    username: string,
    private readonly password: string,
    private readonly agent: HttpAgent | HttpsAgent,
  ) {
    const [domain, user] = username.includes('\\') ? username.split('\\', 2) : ['', username];
    this.user = user;
    this.domain = domain.toUpperCase();
  }

  async preCall<T extends { url?: string; headers?: unknown }>(options: T): Promise<T> {
    const type1 = createType1Message('.', this.domain);
    const challenge = await this.negotiate(options.url ?? '', type1);
    this.handshakes++;
    const type3 = createType3Message(
      decodeType2Message(challenge),
      this.user,
      this.password,
      '.',
      this.domain,
    );
    const headers = { ...(options.headers as Record<string, string>) };
    delete headers.authorization;
    headers.Authorization = type3;
    headers.Connection = 'keep-alive';
    const agent = options.url?.startsWith('http:')
      ? { httpAgent: this.agent }
      : { httpsAgent: this.agent };
    return { ...options, headers, ...agent };
  }

  /** The negotiate request (empty body) on the agent's socket; answers the challenge header. */
  private negotiate(url: string, type1: string): Promise<string> {
    return new Promise((resolve, reject) => {
      // http:// only where a lab setting allowed it (createEwsService checks)
      const request = url.startsWith('http:') ? httpRequest : httpsRequest;
      const req = request(
        url,
        {
          method: 'POST',
          agent: this.agent as HttpsAgent,
          headers: { Authorization: type1, Connection: 'keep-alive', 'Content-Length': '0' },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const header = res.headers['www-authenticate'];
            const value = Array.isArray(header) ? header.find((h) => /^NTLM /i.test(h)) : header;
            if (res.statusCode === 401 && value && /^NTLM \S+/i.test(value)) resolve(value);
            else
              reject(
                Object.assign(
                  new Error(`NTLM negotiate answered ${res.statusCode} without a challenge`),
                  {
                    status: res.statusCode,
                  },
                ),
              );
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  }
}
