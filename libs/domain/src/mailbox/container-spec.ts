/**
 * Where a list's items live in a mailbox: the kind's default container (the Contacts folder,
 * the primary calendar) or a top-level one of ours by display name.
 */
export type ContainerSpec = { kind: 'default' } | { kind: 'named'; name: string };
