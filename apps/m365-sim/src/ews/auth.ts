/**
 * Authentication of the EWS virtual directory as IIS does it on Exchange Server on-premises:
 * Windows authentication (Negotiate and NTLM providers; the simulator speaks NTLM inside both,
 * as a client without Kerberos does) is on, Basic is off unless switched on (here per account:
 * `basicAuth`). NTLM authenticates the TCP connection, not the request: after the handshake
 * (NEGOTIATE → 401 CHALLENGE → AUTHENTICATE on the same connection) the connection's later
 * requests need no Authorization header; a new connection has to handshake again, and an
 * AUTHENTICATE on another connection than its CHALLENGE fails. Basic is checked per request.
 * https://learn.microsoft.com/iis/configuration/system.webserver/security/authentication/windowsauthentication/
 * https://learn.microsoft.com/exchange/clients/exchange-web-services/authentication-and-ews
 */
import type { IncomingMessage } from 'node:http';
import type { SimOptions } from '../sim-options';
import type { EwsStats } from './stats';
import { createChallenge, decodeNtlm, verifyNtlmV2, type NtlmChallenge } from './ntlm';

export type EwsAccount = SimOptions['ewsAccounts'][number];

interface ConnectionState {
  scheme?: string;
  challenge?: NtlmChallenge;
  account?: EwsAccount;
}

export type AuthResult =
  { ok: true; account: EwsAccount } | { ok: false; wwwAuthenticate: string[]; handshake: boolean };

/** Names the CHALLENGE carries (sim choice: one AD domain, one Exchange server). */
const NAMES = {
  netbiosDomain: 'SIM',
  netbiosComputer: 'EXCH01',
  dnsDomain: 'sim.local',
  dnsComputer: 'exch01.sim.local',
};

/** `DOMAIN\user`, `user@domain` or `user` → `user`, lower case. */
function localName(user: string): string {
  return user.replace(/^.*\\/, '').replace(/@.*$/, '').toLowerCase();
}

export class EwsAuth {
  private connections = new WeakMap<object, ConnectionState>();

  constructor(
    private accounts: () => EwsAccount[],
    private stats: EwsStats,
  ) {}

  /** The providers a 401 offers, in IIS's order. */
  private offers(): string[] {
    const o = ['Negotiate', 'NTLM'];
    if (this.accounts().some((a) => a.basicAuth)) o.push('Basic realm="exch01.sim.local"');
    return o;
  }

  private refuse(): AuthResult {
    this.stats.unauthorized++;
    return { ok: false, wwwAuthenticate: this.offers(), handshake: false };
  }

  authenticate(req: IncomingMessage): AuthResult {
    const conn = req.socket;
    const header = req.headers.authorization ?? '';
    const windows = /^(NTLM|Negotiate)\s+(\S+)\s*$/i.exec(header);
    if (windows) {
      const scheme = windows[1].toLowerCase() === 'ntlm' ? 'NTLM' : 'Negotiate';
      const msg = decodeNtlm(windows[2]);
      if (msg?.type === 1) {
        // a new handshake: whatever the connection was signed in as is dropped
        const challenge = createChallenge(msg.flags, NAMES);
        this.connections.set(conn, { scheme, challenge });
        this.stats.handshakeRequests++;
        return { ok: false, wwwAuthenticate: [`${scheme} ${challenge.token}`], handshake: true };
      }
      const state = this.connections.get(conn);
      this.connections.delete(conn);
      if (msg?.type !== 3 || !state?.challenge) return this.refuse();
      const name = localName(msg.user);
      const account = this.accounts().find((a) => a.userName.toLowerCase() === name);
      if (!account || !verifyNtlmV2(msg, state.challenge.serverChallenge, account.password))
        return this.refuse();
      this.connections.set(conn, { scheme, account });
      this.stats.ntlmSignIns++;
      return { ok: true, account };
    }
    const basic = /^Basic\s+(\S+)\s*$/i.exec(header);
    if (basic) {
      const [user, password] = Buffer.from(basic[1], 'base64').toString('utf8').split(/:(.*)/s);
      const name = localName(user ?? '');
      const account = this.accounts().find(
        (a) => a.basicAuth && a.userName.toLowerCase() === name && a.password === password,
      );
      if (!account) return this.refuse();
      this.stats.basicSignIns++;
      return { ok: true, account };
    }
    if (header) return this.refuse();
    const signedIn = this.connections.get(conn)?.account;
    if (signedIn) {
      this.stats.connectionAuthenticated++;
      return { ok: true, account: signedIn };
    }
    return this.refuse();
  }
}
