import * as ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';
import { classifyAddress } from './address-class';
import type { HostResolver, ResolvedAddress } from './host-resolver';
import { WebhookTargetRefused } from './webhook-target-refused';

/** A webhook URL that passed the checks, with the addresses it may be connected to. */
export interface CheckedWebhookTarget {
  url: URL;
  /** Host name as in the URL (brackets removed from IPv6 literals). */
  host: string;
  /** Every address the host had when checked; the request connects to these and no other. */
  addresses: ResolvedAddress[];
}

export interface WebhookTargetRules {
  allowHttp: boolean;
  allowPrivateNetworks: boolean;
  /** CIDRs the operator allows although they are not public (e.g. an internal feed server). */
  allowedNetworks?: readonly string[];
}

/**
 * SSRF guard for tenant-supplied webhook URLs, used when they are saved and again right before
 * each POST: https only (http with ALERT_WEBHOOK_ALLOW_HTTP), and every address the host resolves
 * to must be public (private ranges with ALERT_WEBHOOK_ALLOW_PRIVATE_NETWORKS). Checking every
 * address, not just the first, keeps a host with one public and one internal record out.
 */
export class WebhookTargetPolicy {
  private readonly allowed: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>;

  constructor(
    private readonly rules: WebhookTargetRules,
    private readonly resolver: HostResolver,
  ) {
    this.allowed = (rules.allowedNetworks ?? []).map((cidr) => ipaddr.parseCIDR(cidr));
  }

  private allowedByOperator(address: string): boolean {
    if (!this.allowed.length) return false;
    const parsed = ipaddr.process(address.replace(/%.*$/, ''));
    return this.allowed.some(
      ([range, bits]) => parsed.kind() === range.kind() && parsed.match(range, bits),
    );
  }

  async check(raw: string): Promise<CheckedWebhookTarget> {
    const url = new URL(raw);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.rules.allowHttp))
      throw new WebhookTargetRefused('WEBHOOK_SCHEME_NOT_ALLOWED', 'expected an https:// URL');
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const addresses = await this.resolve(host);
    for (const { address } of addresses) {
      const found = classifyAddress(address);
      if (found.kind === 'public') continue;
      if (found.kind === 'private' && this.rules.allowPrivateNetworks) continue;
      if (found.kind === 'private' && this.allowedByOperator(address)) continue;
      const what = isIP(host) ? 'is' : 'resolves to';
      if (found.kind === 'private')
        throw new WebhookTargetRefused(
          'WEBHOOK_ADDRESS_NOT_PUBLIC',
          `the host ${what} a non-public address (${found.range}); webhooks go to public addresses only`,
        );
      throw new WebhookTargetRefused(
        'WEBHOOK_ADDRESS_UNUSABLE',
        `the host ${what} an address that cannot receive webhooks (${found.range})`,
      );
    }
    return { url, host, addresses };
  }

  private async resolve(host: string): Promise<ResolvedAddress[]> {
    const family = isIP(host);
    if (family) return [{ address: host, family: family === 6 ? 6 : 4 }];
    let found: ResolvedAddress[];
    try {
      found = await this.resolver.resolve(host);
    } catch {
      found = [];
    }
    if (found.length === 0)
      throw new WebhookTargetRefused('WEBHOOK_HOST_UNRESOLVED', 'the host name does not resolve');
    return found;
  }
}
