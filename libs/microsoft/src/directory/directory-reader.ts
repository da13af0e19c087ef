import { errorMessage, type GraphGateway } from '../graph/graph-gateway';
import { readGraphDelta } from '../graph/graph-delta';
import { graphPages } from '../graph/graph-pages';
import type { GraphResponse, TenantRef } from '../graph/graph-types';
import { MicrosoftError } from '../microsoft-error';
import type { DirectoryUserMatch } from './directory-user-match';
import type { DirectoryUserName } from './directory-user-name';

/** Directory attributes a list can use (mapping, filters, targets): one $select for all. */
export const USER_SELECT = [
  'id',
  'displayName',
  'givenName',
  'surname',
  'mail',
  'otherMails',
  'userPrincipalName',
  'jobTitle',
  'department',
  'companyName',
  'officeLocation',
  'businessPhones',
  'mobilePhone',
  'streetAddress',
  'city',
  'state',
  'postalCode',
  'country',
  'employeeId',
  'accountEnabled',
  'assignedLicenses',
  'userType',
  'onPremisesExtensionAttributes',
].join(',');

const ORG_CONTACT_SELECT =
  'id,displayName,givenName,surname,mail,companyName,department,jobTitle,phones,addresses,proxyAddresses';

/** The advanced query header (with `$count=true` in the URL) for directory queries that need it. */
const ADVANCED_QUERY_HEADERS = { ConsistencyLevel: 'eventual' };

export type DirectoryRecord = Record<string, unknown> & { id: string };

export interface UserChanges {
  /** Users added or changed since the link (only the changed properties may be present). */
  changed: DirectoryRecord[];
  removedIds: string[];
  deltaLink: string;
}

/**
 * Reads the tenant's directory: users (in full, or only what changed since a delta link),
 * groups' transitive members, organisational contacts, and a source mailbox's contacts.
 */
export class DirectoryReader {
  constructor(private readonly graph: GraphGateway) {}

  /**
   * Every user (deltaLink undefined) or the changes since `deltaLink`; 'expired' when the link is
   * no longer valid, so the caller reads in full again. Both come with the next link.
   */
  async readUsers(
    tenant: TenantRef,
    deltaLink: string | undefined,
  ): Promise<UserChanges | 'expired'> {
    // A full read through /users/delta gives the link for the next (incremental) read in the
    // same pass; $top is not documented for users delta, so Graph picks the page size.
    const read = await readGraphDelta<DirectoryRecord & { '@removed'?: unknown }>(
      this.graph,
      tenant,
      deltaLink ?? `/users/delta?$select=${USER_SELECT}`,
      {
        isExpired: (res) =>
          res.status === 410 ||
          (!!deltaLink && res.status === 400 && /syncState|token/i.test(errorMessage(res.body))),
        check: (res) => assertOk(res, 'read users'),
      },
    );
    if (read === 'expired') return 'expired';
    const changed: DirectoryRecord[] = [];
    const removedIds: string[] = [];
    for (const user of read.items) {
      if (user['@removed'] !== undefined) removedIds.push(user.id);
      else changed.push(user);
    }
    return { changed, removedIds, deltaLink: read.deltaLink };
  }

  /** A user's profile photo, or undefined when they have none. */
  async userPhoto(tenant: TenantRef, userId: string): Promise<Buffer | undefined> {
    const res = await this.graph.request<Buffer>(tenant, {
      method: 'GET',
      path: `/users/${userId}/photo/$value`,
      binary: true,
    });
    if (res.status === 404) return undefined;
    assertOk(res, `read the photo of ${userId}`);
    return res.body;
  }

  /**
   * Ids of the users in a group, nested groups included. The OData cast to users is an advanced
   * query: Microsoft documents it as needing `ConsistencyLevel: eventual` and `$count=true`
   * (https://learn.microsoft.com/graph/aad-advanced-queries), on every page.
   */
  async groupMemberIds(tenant: TenantRef, groupId: string): Promise<Set<string>> {
    const ids = new Set<string>();
    for await (const page of this.pages<{ id: string }>(
      tenant,
      `/groups/${groupId}/transitiveMembers/microsoft.graph.user?$select=id&$top=999&$count=true`,
      `read members of group ${groupId}`,
      ADVANCED_QUERY_HEADERS,
    )) {
      for (const member of page) ids.add(member.id);
    }
    return ids;
  }

  /**
   * Names of some users (mailboxes in a run), 15 ids per request: Graph limits a `$filter` with
   * the `in` operator to 15 expressions (https://learn.microsoft.com/graph/filter-query-parameter).
   * Ids no user has any more are left out.
   */
  async usersByIds(tenant: TenantRef, ids: readonly string[]): Promise<DirectoryUserName[]> {
    const out: DirectoryUserName[] = [];
    for (let i = 0; i < ids.length; i += 15) {
      const chunk = ids.slice(i, i + 15).map((id) => `'${id}'`);
      for await (const page of this.pages<{
        id: string;
        displayName?: string | null;
        userPrincipalName?: string | null;
      }>(
        tenant,
        `/users?$filter=id in (${chunk.join(',')})&$select=id,displayName,userPrincipalName`,
        'read user names',
      ))
        for (const u of page)
          out.push({
            id: u.id,
            displayName: u.displayName ?? null,
            userPrincipalName: u.userPrincipalName ?? null,
          });
    }
    return out;
  }

  /**
   * Users whose display name has a word starting with `text`, or whose mail or principal name
   * starts with it: at most `top`, by display name. `$search` on directory objects is an
   * advanced query (`ConsistencyLevel: eventual`, `$count=true`); display names are tokenized,
   * other properties match from their start
   * (https://learn.microsoft.com/graph/search-query-parameter#using-search-on-directory-object-collections).
   * `text` must not hold a double quote (the caller validates it).
   */
  async searchUsers(tenant: TenantRef, text: string, top: number): Promise<DirectoryUserMatch[]> {
    const search = ['displayName', 'mail', 'userPrincipalName']
      .map((p) => `"${p}:${text}"`)
      .join(' OR ');
    const query = new URLSearchParams({
      $search: search,
      $select: 'id,displayName,userPrincipalName,mail',
      $orderby: 'displayName',
      $top: String(top),
      $count: 'true',
    });
    const res = await this.graph.request<{
      value: Array<{
        id: string;
        displayName?: string | null;
        userPrincipalName?: string | null;
        mail?: string | null;
      }>;
    }>(tenant, {
      method: 'GET',
      path: `/users?${query.toString().replace(/\+/g, '%20')}`,
      headers: ADVANCED_QUERY_HEADERS,
    });
    assertOk(res, 'search users');
    return res.body.value.slice(0, top).map((u) => ({
      id: u.id,
      displayName: u.displayName ?? null,
      userPrincipalName: u.userPrincipalName ?? null,
      mail: u.mail ?? null,
    }));
  }

  /** The tenant's groups (id and display name), sorted by name: what an admin picks a target from. */
  async groups(tenant: TenantRef): Promise<Array<{ id: string; displayName: string }>> {
    const all: Array<{ id: string; displayName: string }> = [];
    for await (const page of this.pages<{ id: string; displayName?: string | null }>(
      tenant,
      '/groups?$select=id,displayName&$top=999',
      'read groups',
    ))
      for (const g of page) all.push({ id: g.id, displayName: g.displayName ?? g.id });
    return all.sort((a, b) => a.displayName.localeCompare(b.displayName));
  }

  async orgContacts(tenant: TenantRef): Promise<DirectoryRecord[]> {
    const all: DirectoryRecord[] = [];
    for await (const page of this.pages<DirectoryRecord>(
      tenant,
      `/contacts?$select=${ORG_CONTACT_SELECT}&$top=999`,
      'read organisational contacts',
    )) {
      all.push(...page);
    }
    return all;
  }

  /** Contacts of a source mailbox's folder (by display name), or of its default folder. */
  async mailboxFolderContacts(
    tenant: TenantRef,
    mailboxId: string,
    folderName: string | undefined,
  ): Promise<DirectoryRecord[]> {
    let folderPath = `/users/${mailboxId}/contacts`;
    if (folderName) {
      let folderId: string | undefined;
      for await (const page of this.pages<{ id: string; displayName: string }>(
        tenant,
        `/users/${mailboxId}/contactFolders?$select=id,displayName&$top=100`,
        `list contact folders of ${mailboxId}`,
      )) {
        folderId ??= page.find((f) => f.displayName.toLowerCase() === folderName.toLowerCase())?.id;
      }
      if (!folderId)
        throw new MicrosoftError(
          'GRAPH_ERROR',
          `source mailbox ${mailboxId} has no contact folder named "${folderName}"`,
        );
      folderPath = `/users/${mailboxId}/contactFolders/${folderId}/contacts`;
    }
    const all: DirectoryRecord[] = [];
    for await (const page of this.pages<DirectoryRecord>(
      tenant,
      `${folderPath}?$top=1000`,
      `read contacts of ${mailboxId}`,
    ))
      all.push(...page);
    return all;
  }

  private pages<T>(
    tenant: TenantRef,
    first: string,
    what: string,
    headers?: Record<string, string>,
  ): AsyncIterable<T[]> {
    return graphPages<T>(
      this.graph,
      tenant,
      first,
      (res) => assertOk(res, what),
      undefined,
      headers,
    );
  }
}

function assertOk(res: GraphResponse, what: string): void {
  if (res.status < 400) return;
  const code =
    res.status === 403 ? 'PERMISSION_MISSING' : res.status >= 500 ? 'TRANSIENT' : 'GRAPH_ERROR';
  throw new MicrosoftError(
    code,
    `could not ${what}: Graph answered ${res.status} ${errorMessage(res.body)}`,
    { status: res.status },
  );
}
