import type { GraphGateway } from './graph-gateway';
import type { GraphResponse, TenantRef } from './graph-types';
import type { MailboxGate } from './mailbox-gate';

/**
 * A Graph collection page by page, following `@odata.nextLink` until there is none; `check`
 * turns a failed page into the caller's typed error.
 */
export async function* graphPages<T>(
  graph: GraphGateway,
  tenant: TenantRef,
  firstPath: string,
  check: (res: GraphResponse) => void,
  gate?: MailboxGate,
): AsyncIterable<T[]> {
  let path: string | undefined = firstPath;
  while (path) {
    const res: GraphResponse<{ value: T[]; '@odata.nextLink'?: string }> = await graph.request(
      tenant,
      { method: 'GET', path },
      gate,
    );
    check(res);
    yield res.body.value;
    path = res.body['@odata.nextLink'];
  }
}
