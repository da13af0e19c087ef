/**
 * What the EWS endpoint counts, for tests and the bench (GET /_sim/stats → `ews`): SOAP
 * operations apart from the NTLM handshake requests that precede them, sign-ins, and per
 * mailbox the operations received while an ErrorServerBusy back-off was pending.
 */
export interface EwsMailboxStat {
  /** SOAP operations that targeted the mailbox (impersonated or named in a folder id) */
  operations: number;
  /** of those, answered ErrorServerBusy */
  serverBusy: number;
  /** operations received before the last ErrorServerBusy's BackOffMilliseconds had passed */
  earlyOperations: number;
  /** epoch ms until which the last back-off runs (0: none) */
  backOffUntil: number;
}

/** Per service account: SOAP requests it had in flight at once. */
export interface EwsAccountStat {
  inFlight: number;
  /** the highest number of its requests in flight at once (since the last reset) */
  maxConcurrent: number;
}

export interface RecordedEwsResponse {
  status: number;
  /** SOAP operation of the request, when it got that far */
  operation?: string;
  contentType: string;
  body: string;
}

export class EwsStats {
  /** HTTP requests at /EWS/Exchange.asmx, whatever they carried */
  requests = 0;
  /** distinct TCP (TLS) connections that carried EWS requests */
  connections = 0;
  private seen = new WeakSet<object>();
  /** connections that carried EWS requests and are still open (live: not cleared by a reset) */
  private readonly live = new Set<object>();
  /** SOAP operations (authenticated requests with an operation element in the body) */
  operations = 0;
  /** NTLM/Negotiate NEGOTIATE messages answered with a 401 CHALLENGE: the handshake's extra request */
  handshakeRequests = 0;
  /** AUTHENTICATE messages accepted: connections signed in with NTLM */
  ntlmSignIns = 0;
  /** requests signed in with Basic (per request) */
  basicSignIns = 0;
  /** requests with no Authorization header, authenticated by their NTLM connection */
  connectionAuthenticated = 0;
  /** 401 answers other than a CHALLENGE (wrong password, Basic refused, no credentials) */
  unauthorized = 0;
  serverBusy = 0;
  readonly mailboxes = new Map<string, EwsMailboxStat>();
  readonly accounts = new Map<string, EwsAccountStat>();
  /** every response body, when recording is on (option ewsRecordResponses) */
  readonly recorded: RecordedEwsResponse[] = [];

  sawConnection(socket: { once(event: 'close', listener: () => void): unknown }): void {
    if (!this.live.has(socket)) {
      this.live.add(socket);
      socket.once('close', () => this.live.delete(socket));
    }
    if (this.seen.has(socket)) return;
    this.seen.add(socket);
    this.connections++;
  }

  /** Connections that carried EWS requests and are open now: a client that closes its sessions leaves none. */
  get openConnections(): number {
    return this.live.size;
  }

  mailbox(smtp: string): EwsMailboxStat {
    const k = smtp.toLowerCase();
    let s = this.mailboxes.get(k);
    if (!s)
      this.mailboxes.set(
        k,
        (s = { operations: 0, serverBusy: 0, earlyOperations: 0, backOffUntil: 0 }),
      );
    return s;
  }

  account(userName: string): EwsAccountStat {
    const k = userName.toLowerCase();
    let s = this.accounts.get(k);
    if (!s) this.accounts.set(k, (s = { inFlight: 0, maxConcurrent: 0 }));
    return s;
  }

  /** Clears the counters; back-offs in progress and recorded responses stay. */
  resetCounters(): void {
    this.requests = 0;
    this.connections = 0;
    this.seen = new WeakSet<object>();
    this.operations = 0;
    this.handshakeRequests = 0;
    this.ntlmSignIns = 0;
    this.basicSignIns = 0;
    this.connectionAuthenticated = 0;
    this.unauthorized = 0;
    this.serverBusy = 0;
    for (const a of this.accounts.values()) a.maxConcurrent = a.inFlight;
    for (const s of this.mailboxes.values()) {
      s.operations = 0;
      s.serverBusy = 0;
      s.earlyOperations = 0;
    }
  }

  toJSON(): Record<string, unknown> {
    return {
      requests: this.requests,
      connections: this.connections,
      openConnections: this.openConnections,
      operations: this.operations,
      handshakeRequests: this.handshakeRequests,
      ntlmSignIns: this.ntlmSignIns,
      basicSignIns: this.basicSignIns,
      connectionAuthenticated: this.connectionAuthenticated,
      unauthorized: this.unauthorized,
      serverBusy: this.serverBusy,
      earlyOperations: [...this.mailboxes.values()].reduce((n, s) => n + s.earlyOperations, 0),
      mailboxes: Object.fromEntries(
        [...this.mailboxes].map(([k, s]) => [
          k,
          {
            operations: s.operations,
            serverBusy: s.serverBusy,
            earlyOperations: s.earlyOperations,
          },
        ]),
      ),
      accounts: Object.fromEntries(
        [...this.accounts].map(([k, a]) => [k, { maxConcurrent: a.maxConcurrent }]),
      ),
      recordedResponses: this.recorded.length,
    };
  }
}
