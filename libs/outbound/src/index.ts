// Outbound HTTP to addresses tenants give us (alert webhooks, calendar feeds): checked to be
// public (or allowed by the operator), pinned between check and connect.
export * from './address-class';
export * from './host-resolver';
export * from './post-to-checked-target';
export * from './webhook-target-policy';
export * from './webhook-target-refused';
export * from './get-from-checked-target';
