/**
 * Marks a string column whose values are stored normalised (lower-cased, trimmed, or a hex
 * hash), so a unique index over it means the same on a case-insensitive SQL Server collation
 * as on PostgreSQL. The schema lint rejects unique string columns without this mark.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM keys metadata by class
type EntityClass = Function;
const normalizedKeys = new Map<EntityClass, Set<string>>();

export function NormalizedKey(): PropertyDecorator {
  return (target, property) => {
    const owner = target.constructor;
    const set = normalizedKeys.get(owner) ?? new Set<string>();
    set.add(String(property));
    normalizedKeys.set(owner, set);
  };
}

export function isNormalizedKey(entity: EntityClass, property: string): boolean {
  for (let t: EntityClass | null = entity; t && t !== Object; t = Object.getPrototypeOf(t)) {
    if (normalizedKeys.get(t)?.has(property)) return true;
  }
  return false;
}
