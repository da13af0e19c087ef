export * from './contact-list.repository';
export * from './mailbox-state.repository';
export * from './tenant.repository';
