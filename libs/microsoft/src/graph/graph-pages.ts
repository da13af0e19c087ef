import type { GraphGateway } from './graph-gateway';
import type { GraphResponse, TenantRef } from './graph-types';
import type { MailboxGate } from './mailbox-gate';

/**
 * A Graph collection page by page, following `@odata.nextLink` until there is none; `check`
 * turns a failed page into the caller's typed error. `headers` go with every page (an advanced
 * directory query needs `ConsistencyLevel: eventual` on the next pages too).
 */
export async function* graphPages<T>(
  graph: GraphGateway,
  tenant: TenantRef,
  firstPath: string,
  check: (res: GraphResponse) => void,
  gate?: MailboxGate,
  headers?: Record<string, string>,
): AsyncIterable<T[]> {
  let path: string | undefined = firstPath;
  while (path) {
    const res: GraphResponse<{ value: T[]; '@odata.nextLink'?: string }> = await graph.request(
      tenant,
      headers ? { method: 'GET', path, headers } : { method: 'GET', path },
      gate,
    );
    check(res);
    yield res.body.value;
    path = res.body['@odata.nextLink'];
  }
}
