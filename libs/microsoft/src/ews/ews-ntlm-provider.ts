import { createType1Message, createType3Message, decodeType2Message } from '@ewsjs/ntlm-client';
import { request as httpRequest, type Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import { EWS_DEFAULT_TIMEOUT_MS, ewsTimeoutMessage } from './ews-timeout';

// http:// only where a lab setting allowed it (createEwsService checks).
const requestFor = (url: string) => (url.startsWith('http:') ? httpRequest : httpsRequest);

/** What @ewsjs/xhr's XhrApi hands a provider's `client` (axios request options). */
interface CallOptions {
  url?: string;
  method?: string;
  data?: unknown;
  headers?: unknown;
}

/** The part of an axios response @ewsjs/xhr's XhrApi reads. */
interface CallResponse {
  data: string;
  status: number;
  statusText: string;
  headers: Record<string, string | string[] | undefined>;
  request: { res: { responseUrl: string } };
}

/**
 * NTLM sign-in for one ExchangeService's XHR instance. NTLM authenticates a TCP connection, so
 * the handshake (negotiate, challenge) and the SOAP request go over the same kept-alive socket
 * of the connection's own agent (one socket, its CA) — unlike @ewsjs/xhr's NtlmProvider, whose
 * agent ignores a custom CA and which opens a connection and handshakes for every call. Once
 * the connection is signed in, requests go without a handshake (IIS keeps NTLM per
 * connection); a 401 then (the server closed the idle socket, a new one is not signed in) signs
 * in again and resends, which is safe: a 401 request was not processed. The provider is the
 * XHR instance's `client` for that. The MD4 of the NT hash comes from @ewsjs/ntlm-client's
 * pure-JS js-md4, so it works on Node 20+ where OpenSSL 3 dropped MD4. `handshakes` counts the
 * extra requests (reported beside the SOAP operations). Every request (the negotiate and the
 * SOAP one) fails with ETIMEDOUT when no answer came within `timeoutMs` — connect, TLS and the
 * wait for the answer's head count against it, then each silence between chunks of the body —
 * and its socket is destroyed (a hung server does not hold the job, nor the account's slot).
 */
export class EwsNtlmProvider {
  readonly providerName = 'ntlm';
  /** XhrApi sends every request through this instead of its own axios client. */
  readonly client = (options: CallOptions): Promise<CallResponse> => this.call(options);
  handshakes = 0;
  /** The agent's connection has signed in (until a 401 says otherwise). */
  private signedIn = false;
  private readonly user: string;
  private readonly domain: string;

  constructor(
    username: string,
    private readonly password: string,
    private readonly agent: HttpAgent | HttpsAgent,
    private readonly timeoutMs = EWS_DEFAULT_TIMEOUT_MS,
  ) {
    const [domain, user] = username.includes('\\') ? username.split('\\', 2) : ['', username];
    this.user = user;
    this.domain = domain.toUpperCase();
  }

  async preCall<T>(options: T): Promise<T> {
    return options;
  }

  private async call(options: CallOptions): Promise<CallResponse> {
    const url = options.url ?? '';
    const headers = { ...(options.headers as Record<string, string>) };
    delete headers.authorization;
    delete headers.Authorization;
    headers.Connection = 'keep-alive';
    if (this.signedIn) {
      const res = await this.send(url, options, headers);
      if (res.status !== 401) return res;
      this.signedIn = false;
    }
    const type1 = createType1Message('.', this.domain);
    const challenge = await this.negotiate(url, type1);
    this.handshakes++;
    const type3 = createType3Message(
      decodeType2Message(challenge),
      this.user,
      this.password,
      '.',
      this.domain,
    );
    const res = await this.send(url, options, { ...headers, Authorization: type3 });
    this.signedIn = res.status !== 401;
    return res;
  }

  /** One request on the agent's socket; any status is an answer (the XHR layer judges it). */
  private send(
    url: string,
    options: CallOptions,
    headers: Record<string, string>,
  ): Promise<CallResponse> {
    const body =
      options.data === undefined || options.data === null
        ? undefined
        : Buffer.from(String(options.data), 'utf8');
    return this.request(
      url,
      (options.method ?? 'POST').toUpperCase(),
      { ...headers, 'Content-Length': String(body?.length ?? 0) },
      body,
      (res, resolve, reject) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            data: Buffer.concat(chunks).toString('utf8'),
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            headers: res.headers,
            request: { res: { responseUrl: url } },
          }),
        );
      },
    );
  }

  /** The negotiate request (empty body) on the agent's socket; answers the challenge header. */
  private negotiate(url: string, type1: string): Promise<string> {
    return this.request<string>(
      url,
      'POST',
      { Authorization: type1, Connection: 'keep-alive', 'Content-Length': '0' },
      undefined,
      (res, resolve, reject) => {
        res.resume();
        res.on('error', reject);
        res.on('end', () => {
          const header = res.headers['www-authenticate'];
          const value = Array.isArray(header) ? header.find((h) => /^NTLM /i.test(h)) : header;
          if (res.statusCode === 401 && value && /^NTLM \S+/i.test(value)) resolve(value);
          else
            reject(
              Object.assign(
                new Error(`NTLM negotiate answered ${res.statusCode} without a challenge`),
                { status: res.statusCode },
              ),
            );
        });
      },
    );
  }

  /**
   * One request on the agent's socket, under the timeout: a wall clock until the answer's head
   * (DNS, connect, TLS and the server's work: a socket timeout starts only once connected), then
   * the socket's idle time while the body arrives. Either rejects with ETIMEDOUT and destroys
   * the request (and its socket: the agent opens, and signs in, a new one next time).
   */
  private request<T>(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
    onResponse: (
      res: IncomingMessage,
      resolve: (value: T) => void,
      reject: (error: unknown) => void,
    ) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timedOut = () => {
        clearTimeout(timer);
        reject(Object.assign(new Error(ewsTimeoutMessage(this.timeoutMs)), { code: 'ETIMEDOUT' }));
        req.destroy();
      };
      const timer = setTimeout(timedOut, this.timeoutMs);
      const req = requestFor(url)(
        url,
        { method, agent: this.agent as HttpsAgent, headers },
        (res) => {
          clearTimeout(timer);
          onResponse(res, resolve, reject);
        },
      );
      req.setTimeout(this.timeoutMs, timedOut);
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.end(body);
    });
  }
}
