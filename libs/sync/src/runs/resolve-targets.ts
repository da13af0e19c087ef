import {
  DIRECTORY_USER_MAPPING,
  evaluateFilterRules,
  groupIdsInFilterRules,
  parseFilterRules,
} from '@app/domain';
import type { DirectoryRecord } from '@app/microsoft';
import type { TargetEntity } from '@app/persistence';

/**
 * Who receives the list: the union of include targets minus the exclude targets, among users
 * who can have a mailbox (enabled, with a mail address and a licence). Whether the mailbox is
 * reachable, shared or on-premises is learnt per mailbox, once, by its sync job.
 */
export async function resolveTargets(
  targets: readonly TargetEntity[],
  users: ReadonlyMap<string, DirectoryRecord>,
  groupMembers: (groupId: string) => Promise<ReadonlySet<string>>,
): Promise<string[]> {
  const candidates = [...users.values()].filter(canHaveMailbox);
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
  const licences = user.assignedLicenses;
  return (
    user.accountEnabled !== false &&
    typeof user.mail === 'string' &&
    user.mail !== '' &&
    Array.isArray(licences) &&
    licences.length > 0
  );
}
