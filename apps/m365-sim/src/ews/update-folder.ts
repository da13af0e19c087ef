/**
 * UpdateFolder for a contacts folder's or a calendar's DisplayName (SetFolderField
 * folder:DisplayName), as the EWS adapters rename a list's folder. A sibling with the name
 * answers ErrorFolderExists (the simulator's calendars are all siblings).
 * https://learn.microsoft.com/exchange/client-developer/web-service-reference/updatefolder-operation
 */
import type * as MG from '@microsoft/microsoft-graph-types';
import type { Mailbox } from '../store/model';
import { attr, type El, kid, kids, text } from './xml';

export function renameContactFolder(
  mb: Mailbox,
  folderId: string,
  change: El,
): { error: [code: string, message: string] } | { ok: true } {
  const folder = mb.contactFolders.get(folderId);
  const calendar = mb.calendars.get(folderId);
  if (!folder && !calendar)
    return {
      error: [
        'ErrorInvalidRequest',
        'Only contacts folders and calendars can be updated by the simulator.',
      ],
    };
  for (const u of kids(kid(change, 'Updates'))) {
    const [field, value] = kids(u);
    if (u.localName !== 'SetFolderField' || attr(field, 'FieldURI') !== 'folder:DisplayName')
      return {
        error: [
          'ErrorInvalidRequest',
          'Only SetFolderField folder:DisplayName is supported by the simulator.',
        ],
      };
    const name = text(kid(value, 'DisplayName'))?.trim();
    if (!name) return { error: ['ErrorInvalidRequest', 'The folder name must be specified.'] };
    const taken = folder
      ? [...mb.contactFolders.values()].some(
          (f) =>
            f.id !== folderId &&
            f.parentFolderId === folder.parentFolderId &&
            f.displayName?.toLowerCase() === name.toLowerCase(),
        )
      : [...mb.calendars.values()].some(
          (c) => c.id !== folderId && c.name?.toLowerCase() === name.toLowerCase(),
        );
    if (taken)
      return { error: ['ErrorFolderExists', 'A folder with the specified name already exists.'] };
    if (folder) folder.displayName = name;
    else calendar!.name = name;
  }
  return { ok: true };
}

/** DeleteItemField of one part of a contact's address (contacts:PhysicalAddress:Street, FieldIndex Business). */
export function clearAddressPart(d: MG.Contact, uri: string, index: string | undefined): void {
  const key =
    index === 'Home' ? 'homeAddress' : index === 'Other' ? 'otherAddress' : 'businessAddress';
  const part = (
    {
      Street: 'street',
      City: 'city',
      State: 'state',
      PostalCode: 'postalCode',
      CountryOrRegion: 'countryOrRegion',
    } as Record<string, keyof MG.PhysicalAddress>
  )[uri.slice('contacts:PhysicalAddress:'.length)];
  const address = d[key];
  if (part && address) address[part] = null;
}
