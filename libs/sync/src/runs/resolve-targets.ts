import {
  DIRECTORY_USER_MAPPING,
  evaluateFilterRules,
  groupIdsInFilterRules,
  parseFilterRules,
} from '@app/domain';
import type { DirectoryRecord } from '@app/microsoft';
import type { TargetEntity } from '@app/persistence';

/** Which mailboxes without a user behind them a list may reach. */
export interface MailboxOnlyAccounts {
  /** Shared mailboxes (the list's `includeSharedMailboxes`). */
  shared: boolean;
  /** Room and equipment mailboxes (`includeResourceMailboxes`). */
  resources: boolean;
}

/**
 * Who receives the list: the union of include targets minus the exclude targets, among users
 * who can have a mailbox (enabled, with a mail address and a licence) and, when the list
 * includes shared or resource mailboxes, the accounts such mailboxes have in Entra ID: with a
 * mail address, sign-in blocked and no licence (Exchange Online needs none for them). Whether a
 * mailbox is reachable, shared, a room or on-premises is learnt per mailbox, once, by its sync
 * job, which skips the kinds the list does not include.
 */
export async function resolveTargets(
  targets: readonly TargetEntity[],
  users: ReadonlyMap<string, DirectoryRecord>,
  groupMembers: (groupId: string) => Promise<ReadonlySet<string>>,
  mailboxOnly: MailboxOnlyAccounts = { shared: false, resources: false },
): Promise<string[]> {
  const withMailboxOnly = mailboxOnly.shared || mailboxOnly.resources;
  const candidates = [...users.values()].filter(
    (u) => canHaveMailbox(u) || (withMailboxOnly && isMailboxOnlyAccount(u)),
  );
  const matches = async (target: TargetEntity): Promise<Set<string>> => {
    switch (target.kind) {
      case 'all':
        return new Set(candidates.map((u) => u.id));
      case 'group': {
        const members = await groupMembers(target.value ?? '');
        return new Set(candidates.filter((u) => members.has(u.id)).map((u) => u.id));
      }
      case 'user':
        return new Set(
          candidates.filter((u) => u.id === target.value?.toLowerCase()).map((u) => u.id),
        );
      case 'filter': {
        const rules = parseFilterRules(JSON.parse(target.value ?? '{}'));
        const groups = new Map<string, ReadonlySet<string>>();
        for (const id of groupIdsInFilterRules(rules)) groups.set(id, await groupMembers(id));
        return new Set(
          candidates
            .filter(
              (u) =>
                evaluateFilterRules(u, rules, {
                  mapping: DIRECTORY_USER_MAPPING,
                  groupMembers: groups,
                }).included,
            )
            .map((u) => u.id),
        );
      }
    }
  };
  const included = new Set<string>();
  const excluded = new Set<string>();
  for (const target of targets) {
    for (const id of await matches(target))
      (target.mode === 'exclude' ? excluded : included).add(id);
  }
  return [...included].filter((id) => !excluded.has(id)).sort();
}

function canHaveMailbox(user: DirectoryRecord): boolean {
  // A mailbox of an EWS-only organisation's Global Address List: no licences to look at.
  if (user.hasMailbox === true) return true;
  const licences = user.assignedLicenses;
  return (
    user.accountEnabled !== false &&
    typeof user.mail === 'string' &&
    user.mail !== '' &&
    Array.isArray(licences) &&
    licences.length > 0
  );
}

/** How Entra ID shows a shared, room or equipment mailbox's account. */
function isMailboxOnlyAccount(user: DirectoryRecord): boolean {
  const licences = user.assignedLicenses;
  return (
    user.accountEnabled === false &&
    typeof user.mail === 'string' &&
    user.mail !== '' &&
    (!Array.isArray(licences) || licences.length === 0)
  );
}
