import {
  CalendarListsService,
  createCalendarListSchema,
  openApiSchema,
  pageSchema,
  parseInput,
  updateCalendarListSchema,
} from '@app/admin';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCookieAuth,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { actorOf, CurrentPrincipal, tenantIdOf, type Principal } from '../auth/principal';
import { Paged } from '../http/paged.decorator';
import { UuidPipe } from '../http/params';

/** Calendar lists (issue #20): settings and uploaded iCalendar files; syncing comes next. */
@ApiTags('calendar-lists')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/calendar-lists')
@UseGuards(AuthGuard)
export class CalendarListsController {
  constructor(@Inject(CalendarListsService) private readonly lists: CalendarListsService) {}

  @Get()
  @Paged()
  @ApiOperation({ summary: 'Calendar lists of the tenant' })
  list(@CurrentPrincipal() p: Principal, @Query() query: unknown) {
    return this.lists.list(tenantIdOf(p), parseInput(pageSchema, query));
  }

  @Post()
  @ApiOperation({
    summary:
      'Creates a calendar list: sources (holidays by country/state/region, iCalendar feed URL, uploaded file, manual, a source mailbox), window, destination, show-as, reminder',
  })
  @ApiBody({ schema: openApiSchema(createCalendarListSchema) })
  create(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.lists.create(actorOf(p), parseInput(createCalendarListSchema, body));
  }

  @Get(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'One calendar list' })
  get(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string) {
    return this.lists.get(tenantIdOf(p), id);
  }

  @Patch(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Changes a calendar list' })
  @ApiBody({ schema: openApiSchema(updateCalendarListSchema) })
  update(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: unknown,
  ) {
    return this.lists.update(actorOf(p), id, parseInput(updateCalendarListSchema, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Deletes a calendar list and its stored events' })
  async remove(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string): Promise<void> {
    await this.lists.remove(actorOf(p), id);
  }

  @Post(':id/sources/:sourceId/ics')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'sourceId', description: "the id of one of the list's ics-upload sources" })
  @ApiConsumes('text/calendar')
  @ApiBody({ schema: { type: 'string', description: 'An iCalendar (RFC 5545) file, UTF-8' } })
  @ApiOperation({
    summary:
      "Replaces an ics-upload source's events with an iCalendar file, all or nothing: a malformed file answers 400 with the line and the reason and stores nothing",
  })
  upload(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('sourceId') sourceId: string,
    @Body() body: unknown,
  ) {
    return this.lists.uploadIcs(actorOf(p), id, sourceId, body);
  }
}
