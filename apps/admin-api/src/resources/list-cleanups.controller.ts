import { ListCleanupsService, pageSchema, parseInput } from '@app/admin';
import { Controller, Get, HttpCode, Inject, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { actorOf, CurrentPrincipal, tenantIdOf, type Principal } from '../auth/principal';
import { Paged } from '../http/paged.decorator';
import { UuidPipe } from '../http/params';

/**
 * Deleted lists' clean-ups: a deleted list disappears from /api/lists at once; the worker then
 * removes exactly our items from every mailbox it wrote to, and these routes show how far it got.
 */
@ApiTags('lists')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/list-cleanups')
@UseGuards(AuthGuard)
export class ListCleanupsController {
  constructor(@Inject(ListCleanupsService) private readonly cleanups: ListCleanupsService) {}

  @Get()
  @Paged()
  @ApiOperation({ summary: "Deleted lists' clean-ups, newest first (reads only)" })
  list(@CurrentPrincipal() p: Principal, @Query() query: unknown) {
    return this.cleanups.list(tenantIdOf(p), parseInput(pageSchema, query));
  }

  @Get(':listId')
  @ApiParam({ name: 'listId', format: 'uuid' })
  @ApiOperation({
    summary:
      "A deleted list's clean-up (reads only): state (requested, cleaning, failed, done), mailboxes total/cleaned/remaining/failed, items deleted, the run (per-mailbox outcomes at /api/runs/:id), the coded error when failed",
  })
  get(@CurrentPrincipal() p: Principal, @Param('listId', UuidPipe) listId: string) {
    return this.cleanups.get(tenantIdOf(p), listId);
  }

  @Post(':listId/retry')
  @HttpCode(202)
  @ApiParam({ name: 'listId', format: 'uuid' })
  @ApiOperation({
    summary:
      'Retries a failed clean-up of a deleted list (idempotent: only our tagged items are deleted); 409 unless it failed',
  })
  retry(@CurrentPrincipal() p: Principal, @Param('listId', UuidPipe) listId: string) {
    return this.cleanups.retry(actorOf(p), listId);
  }
}
