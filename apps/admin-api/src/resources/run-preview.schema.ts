import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

const COUNTS: SchemaObject = {
  type: 'object',
  required: ['created', 'updated', 'deleted'],
  properties: {
    created: { type: 'integer' },
    updated: { type: 'integer' },
    deleted: { type: 'integer' },
  },
};

const CHANGE: SchemaObject = {
  type: 'object',
  required: ['action', 'sourceKey'],
  properties: {
    action: { type: 'string', enum: ['create', 'update', 'delete'] },
    sourceKey: {
      type: 'string',
      description: 'The contact in the list (user:<id>, orgcontact:<id>, manual:<key>, ...)',
    },
    itemId: { type: 'string', description: 'The mailbox item (updates and deletes)' },
    name: { type: 'string', description: "The contact's display name" },
    fields: {
      type: 'array',
      items: { type: 'string' },
      description: 'Fields written (creates and updates); photoHash stands for the photo',
    },
    reason: {
      type: 'string',
      enum: ['not-desired', 'duplicate', 'not-targeted', 'moved', 'recreated'],
      description:
        'Deletes: no longer in the list, a second copy, the mailbox is no longer targeted, or ' +
        'moved = left in the old folder after a folder change (re-created in the new one first). ' +
        'Updates: recreated = the photo must go and Graph cannot remove a contact photo, so the ' +
        'contact is created again without it and the old one deleted (its id changes)',
    },
    previousSourceKey: { type: 'string', description: 'An update that re-tags the item' },
    note: {
      type: 'string',
      description:
        'What the admin should know of the item, e.g. an event that is one of the single events a series became (its rule has no Graph equivalent)',
    },
  },
};

/** The response of GET /api/runs/{id}/preview. */
export const RUN_PREVIEW_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['runId', 'listId', 'status', 'finished', 'items', 'mailboxes'],
  properties: {
    runId: { type: 'string', format: 'uuid' },
    listId: { type: 'string', format: 'uuid' },
    status: { type: 'string' },
    finished: { type: 'boolean', description: 'Every mailbox has reported' },
    items: { ...COUNTS, description: 'Totals over every mailbox' },
    mailboxes: {
      type: 'object',
      required: ['items', 'total'],
      properties: {
        total: { type: 'integer' },
        items: {
          type: 'array',
          items: {
            type: 'object',
            required: ['mailboxId', 'code', 'message', 'counts', 'changes', 'truncated'],
            properties: {
              mailboxId: { type: 'string' },
              code: {
                type: 'string',
                nullable: true,
                description: 'DRY_RUN_PLAN, or why the mailbox has no plan',
              },
              message: { type: 'string' },
              counts: { ...COUNTS, nullable: true },
              changes: {
                type: 'array',
                items: CHANGE,
                description: 'The first 50 changes, in the order the run makes them',
              },
              truncated: { type: 'boolean', description: 'More changes than the sample' },
            },
          },
        },
      },
    },
  },
};
