import { parseInput, SyncLogsService, syncLogsQuerySchema } from '@app/admin';
import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentPrincipal, tenantIdOf, type Principal } from '../auth/principal';

@ApiTags('runs')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/logs')
@UseGuards(AuthGuard)
export class LogsController {
  constructor(@Inject(SyncLogsService) private readonly logs: SyncLogsService) {}

  @Get()
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 200 },
  })
  @ApiQuery({ name: 'cursor', required: false, description: '`nextCursor` of the previous page' })
  @ApiQuery({ name: 'runId', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({ name: 'mailboxId', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({
    name: 'level',
    required: false,
    schema: { type: 'string', enum: ['debug', 'info', 'warn', 'error'] },
  })
  @ApiOperation({
    summary: "The tenant's sync logs, newest first, paged, by run, mailbox and level",
    description:
      'Kept LOG_RETENTION_DAYS (at most 30) in the log store. A run id of another tenant ' +
      'answers 404. Messages carry no secrets (tokens and credentials are masked).',
  })
  page(@CurrentPrincipal() p: Principal, @Query() query: unknown) {
    return this.logs.page(tenantIdOf(p), parseInput(syncLogsQuerySchema, query));
  }
}
