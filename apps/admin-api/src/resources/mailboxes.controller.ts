import { mailboxRunsQuerySchema, parseInput, RunsService } from '@app/admin';
import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentPrincipal, tenantIdOf, type Principal } from '../auth/principal';
import { UuidPipe } from '../http/params';

@ApiTags('runs')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/mailboxes')
@UseGuards(AuthGuard)
export class MailboxesController {
  constructor(@Inject(RunsService) private readonly runs: RunsService) {}

  @Get(':userId/runs')
  @ApiParam({ name: 'userId', format: 'uuid', description: "the mailbox owner's directory id" })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 200 },
  })
  @ApiQuery({ name: 'cursor', required: false, description: '`nextCursor` of the previous page' })
  @ApiQuery({ name: 'listId', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiOperation({
    summary:
      "A mailbox's outcomes across runs, newest first, paged (404: not a mailbox of the tenant)",
  })
  history(
    @CurrentPrincipal() p: Principal,
    @Param('userId', UuidPipe) userId: string,
    @Query() query: unknown,
  ) {
    return this.runs.mailboxHistory(
      tenantIdOf(p),
      userId,
      parseInput(mailboxRunsQuerySchema, query),
    );
  }
}
