import { MicrosoftError } from '../microsoft-error';
import type { GraphGateway } from './graph-gateway';
import type { GraphResponse, TenantRef } from './graph-types';
import type { MailboxGate } from './mailbox-gate';

export interface GraphDeltaOptions {
  /** The service no longer knows the link (410, or a 400 naming the sync state). */
  isExpired(res: GraphResponse): boolean;
  check(res: GraphResponse): void;
  headers?: Record<string, string>;
  gate?: MailboxGate;
}

/**
 * A delta query to its end: every page's items, and the `@odata.deltaLink` for next time;
 * 'expired' when the service has forgotten the link, so the caller reads in full again.
 */
export async function readGraphDelta<T>(
  graph: GraphGateway,
  tenant: TenantRef,
  firstPath: string,
  options: GraphDeltaOptions,
): Promise<{ items: T[]; deltaLink: string } | 'expired'> {
  const items: T[] = [];
  let path = firstPath;
  for (;;) {
    const res = await graph.request<{
      value: T[];
      '@odata.nextLink'?: string;
      '@odata.deltaLink'?: string;
    }>(tenant, { method: 'GET', path, headers: options.headers }, options.gate);
    if (options.isExpired(res)) return 'expired';
    options.check(res);
    items.push(...res.body.value);
    if (res.body['@odata.deltaLink']) return { items, deltaLink: res.body['@odata.deltaLink'] };
    if (!res.body['@odata.nextLink'])
      throw new MicrosoftError('GRAPH_ERROR', 'delta page without next or delta link');
    path = res.body['@odata.nextLink'];
  }
}
