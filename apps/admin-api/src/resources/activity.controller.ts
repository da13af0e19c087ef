import { activityQuerySchema, ActivityService, parseInput } from '@app/admin';
import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentPrincipal, tenantIdOf, type Principal } from '../auth/principal';

const count = { type: 'integer', minimum: 0 } as const;
const DAY_FIELDS = {
  runs: count,
  itemsWritten: count,
  mailboxesSynced: count,
  mailboxesFailed: count,
  mailboxesThrottled: count,
  runsFailed: count,
};

/** The answer of GET /api/activity, so the dashboard's client is typed from it. */
export const ACTIVITY_SCHEMA = {
  type: 'object',
  required: ['from', 'to', 'days', 'mailboxes', 'totals'],
  properties: {
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    days: {
      type: 'array',
      items: {
        type: 'object',
        required: ['date', ...Object.keys(DAY_FIELDS)],
        properties: { date: { type: 'string', format: 'date' }, ...DAY_FIELDS },
      },
    },
    mailboxes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['mailboxId', 'itemsWritten', 'runs', 'failed'],
        properties: {
          mailboxId: { type: 'string' },
          itemsWritten: count,
          runs: count,
          failed: count,
        },
      },
    },
    totals: { type: 'object', required: Object.keys(DAY_FIELDS), properties: DAY_FIELDS },
  },
};

@ApiTags('runs')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/activity')
@UseGuards(AuthGuard)
export class ActivityController {
  constructor(@Inject(ActivityService) private readonly activity: ActivityService) {}

  @Get()
  @ApiQuery({
    name: 'days',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 90, default: 14 },
  })
  @ApiQuery({
    name: 'mailboxes',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 50, default: 15 },
  })
  @ApiOperation({
    summary:
      'Sync activity per UTC day (runs, items written, mailboxes synced, failed and throttled) and the mailboxes that received the most items',
    description:
      'From the run history in SQL: sync runs (not previews or clean-ups) by the day they ' +
      'finished; `days` ends with today (UTC). Throttled mailboxes are those whose outcome code ' +
      'is THROTTLED (counted among the failed).',
  })
  @ApiOkResponse({ schema: ACTIVITY_SCHEMA })
  get(@CurrentPrincipal() p: Principal, @Query() query: unknown) {
    return this.activity.get(tenantIdOf(p), parseInput(activityQuerySchema, query));
  }
}
