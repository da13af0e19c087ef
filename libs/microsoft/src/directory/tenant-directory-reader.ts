import type { GraphGateway } from '../graph/graph-gateway';
import type { TenantRef } from '../graph/graph-types';
import type { EwsDirectoryReader } from '../ews/ews-directory-reader';
import { DirectoryReader, type DirectoryRecord, type UserChanges } from './directory-reader';
import type { DirectoryUserName } from './directory-user-name';

/**
 * The directory of each tenant from where it lives: Entra ID through Graph for a Microsoft 365
 * tenant, the Global Address List through EWS for an EWS-only organisation (no Entra tenant
 * id, ADR 0047). It is the DirectoryReader the engine and the API get, so its users (the
 * planner, the directory cache, the target resolution, the pickers) stay unaware of the
 * transport; methods added to the Graph reader later answer through Graph until routed here.
 */
export class TenantDirectoryReader extends DirectoryReader {
  constructor(
    graph: GraphGateway,
    private readonly ews: EwsDirectoryReader,
  ) {
    super(graph);
  }

  private static ewsOnly(tenant: TenantRef): boolean {
    return !tenant.azureTenantId;
  }

  override readUsers(
    tenant: TenantRef,
    deltaLink: string | undefined,
  ): Promise<UserChanges | 'expired'> {
    return TenantDirectoryReader.ewsOnly(tenant)
      ? this.ews.readUsers(tenant, deltaLink)
      : super.readUsers(tenant, deltaLink);
  }

  override userPhoto(tenant: TenantRef, userId: string): Promise<Buffer | undefined> {
    return TenantDirectoryReader.ewsOnly(tenant)
      ? this.ews.userPhoto(tenant, userId)
      : super.userPhoto(tenant, userId);
  }

  override groupMemberIds(tenant: TenantRef, groupId: string): Promise<Set<string>> {
    return TenantDirectoryReader.ewsOnly(tenant)
      ? this.ews.groupMemberIds(tenant, groupId)
      : super.groupMemberIds(tenant, groupId);
  }

  override usersByIds(tenant: TenantRef, ids: readonly string[]): Promise<DirectoryUserName[]> {
    return TenantDirectoryReader.ewsOnly(tenant)
      ? this.ews.usersByIds(tenant, ids)
      : super.usersByIds(tenant, ids);
  }

  override searchUsers(
    tenant: TenantRef,
    text: string,
    top: number,
  ): ReturnType<DirectoryReader['searchUsers']> {
    return TenantDirectoryReader.ewsOnly(tenant)
      ? this.ews.searchUsers(tenant, text, top)
      : super.searchUsers(tenant, text, top);
  }

  override groups(tenant: TenantRef): Promise<Array<{ id: string; displayName: string }>> {
    return TenantDirectoryReader.ewsOnly(tenant) ? this.ews.groups(tenant) : super.groups(tenant);
  }

  override orgContacts(tenant: TenantRef): Promise<DirectoryRecord[]> {
    return TenantDirectoryReader.ewsOnly(tenant)
      ? this.ews.orgContacts(tenant)
      : super.orgContacts(tenant);
  }

  override mailboxFolderContacts(
    tenant: TenantRef,
    mailboxId: string,
    folderName: string | undefined,
  ): Promise<DirectoryRecord[]> {
    return TenantDirectoryReader.ewsOnly(tenant)
      ? this.ews.mailboxFolderContacts(tenant, mailboxId, folderName)
      : super.mailboxFolderContacts(tenant, mailboxId, folderName);
  }
}
