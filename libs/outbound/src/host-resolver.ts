import { lookup } from 'node:dns/promises';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * The port through which webhook hosts are resolved, so the address that was checked is the one
 * connected to. Tests inject their own (a name that "moves" to a private address after save).
 */
export interface HostResolver {
  /** Every address of the host; an empty list or a rejection when it does not resolve. */
  resolve(hostname: string): Promise<ResolvedAddress[]>;
}

/** Injection token of the resolver AlertsService uses; unset = the system resolver. */
export const WEBHOOK_HOST_RESOLVER = Symbol('WEBHOOK_HOST_RESOLVER');

/** The system resolver (getaddrinfo: /etc/hosts, then DNS), every address of the host. */
export const systemHostResolver: HostResolver = {
  async resolve(hostname) {
    const found = await lookup(hostname, { all: true, verbatim: true });
    return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  },
};
