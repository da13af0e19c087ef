import { CalendarListRepository, ContactListRepository, type ListKind } from '@app/persistence';
import { NotFound } from './validation';

/** What targets, schedules, runs and clean-ups need of a list, whatever its kind. */
export interface ListRef {
  id: string;
  kind: ListKind;
  name: string;
  enabled: boolean;
}

/** The name a missing list of this kind answers 404 with. */
export function listNoun(kind: ListKind): string {
  return kind === 'calendar' ? 'calendar list' : 'list';
}

/**
 * Finds a contact or calendar list of the caller's tenant, so the services around lists
 * (targets, schedules, runs, clean-up) serve both kinds by a `kind` parameter.
 */
export class ListsOfKind {
  constructor(
    private readonly contactLists: ContactListRepository,
    private readonly calendarLists: CalendarListRepository,
  ) {}

  /** The list of this kind in the tenant, or null (another tenant's id is not found either). */
  async find(tenantId: string, listId: string, kind: ListKind): Promise<ListRef | null> {
    const id = listId.toLowerCase();
    const list =
      kind === 'calendar'
        ? await this.calendarLists.findInTenant(tenantId, id)
        : await this.contactLists.findInTenant(tenantId, id);
    return list ? { id: list.id, kind, name: list.name, enabled: list.enabled } : null;
  }

  /** As `find`, 404 when there is none. */
  async get(tenantId: string, listId: string, kind: ListKind): Promise<ListRef> {
    const list = await this.find(tenantId, listId, kind);
    if (!list) throw new NotFound(listNoun(kind));
    return list;
  }

  /** A list of either kind (contact lists first); null when neither exists. */
  async findAny(tenantId: string, listId: string): Promise<ListRef | null> {
    return (
      (await this.find(tenantId, listId, 'contacts')) ??
      (await this.find(tenantId, listId, 'calendar'))
    );
  }
}
