import {
  CalendarEventsService,
  CalendarListsService,
  calendarEventSchema,
  createCalendarListSchema,
  createTargetSchema,
  openApiSchema,
  pageSchema,
  parseInput,
  runRequestSchema,
  RunsService,
  scheduleSchema,
  SchedulesService,
  TargetsService,
  updateCalendarEventSchema,
  updateCalendarListSchema,
  updateTargetSchema,
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
  Put,
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

const SOURCE_PARAM = { name: 'sourceId', description: "the id of one of the list's sources" };

/**
 * Calendar lists (issue #20): settings, uploaded iCalendar files and manual events, and the
 * same targets, schedule, runs and previews as contact lists (the services take the list's
 * kind). Unknown or foreign ids answer 404 before the body is looked at.
 */
@ApiTags('calendar-lists')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/calendar-lists')
@UseGuards(AuthGuard)
export class CalendarListsController {
  constructor(
    @Inject(CalendarListsService) private readonly lists: CalendarListsService,
    @Inject(CalendarEventsService) private readonly events: CalendarEventsService,
    @Inject(TargetsService) private readonly targets: TargetsService,
    @Inject(SchedulesService) private readonly schedules: SchedulesService,
    @Inject(RunsService) private readonly runs: RunsService,
  ) {}

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
  @ApiOperation({
    summary:
      'Deletes a calendar list with its targets, schedule and stored events; the worker then deletes exactly our events from every mailbox (GET /api/list-cleanups/{id})',
  })
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

  // Manual events of a `manual` source.

  @Get(':id/sources/:sourceId/events')
  @Paged()
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam(SOURCE_PARAM)
  @ApiOperation({ summary: "A manual source's events, by start" })
  listEvents(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('sourceId') sourceId: string,
    @Query() query: unknown,
  ) {
    return this.events.list(tenantIdOf(p), id, sourceId, parseInput(pageSchema, query));
  }

  @Post(':id/sources/:sourceId/events')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam(SOURCE_PARAM)
  @ApiOperation({
    summary:
      'Adds a manual event (an appointment, never a meeting): subject, start/end as dateTime + IANA timeZone or all-day dates (end exclusive), optional recurrence, show-as, reminder',
  })
  @ApiBody({ schema: openApiSchema(calendarEventSchema) })
  addEvent(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('sourceId') sourceId: string,
    @Body() body: unknown,
  ) {
    return this.events.create(actorOf(p), id, sourceId, body);
  }

  @Get(':id/sources/:sourceId/events/:eventId')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam(SOURCE_PARAM)
  @ApiParam({ name: 'eventId', format: 'uuid' })
  @ApiOperation({ summary: 'One manual event' })
  getEvent(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('sourceId') sourceId: string,
    @Param('eventId', UuidPipe) eventId: string,
  ) {
    return this.events.get(tenantIdOf(p), id, sourceId, eventId);
  }

  @Patch(':id/sources/:sourceId/events/:eventId')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam(SOURCE_PARAM)
  @ApiParam({ name: 'eventId', format: 'uuid' })
  @ApiOperation({
    summary:
      'Changes a manual event (null removes an optional field), checked as a new one; the next run updates it in every mailbox',
  })
  @ApiBody({ schema: openApiSchema(updateCalendarEventSchema) })
  updateEvent(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('sourceId') sourceId: string,
    @Param('eventId', UuidPipe) eventId: string,
    @Body() body: unknown,
  ) {
    return this.events.update(actorOf(p), id, sourceId, eventId, body);
  }

  @Delete(':id/sources/:sourceId/events/:eventId')
  @HttpCode(204)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam(SOURCE_PARAM)
  @ApiParam({ name: 'eventId', format: 'uuid' })
  @ApiOperation({ summary: 'Deletes a manual event; the next run removes it from every mailbox' })
  async removeEvent(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('sourceId') sourceId: string,
    @Param('eventId', UuidPipe) eventId: string,
  ): Promise<void> {
    await this.events.remove(actorOf(p), id, sourceId, eventId);
  }

  // Targets, schedule and runs: the contact lists' services, for calendar lists.

  @Get(':id/targets')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Who receives the calendar list' })
  listTargets(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string) {
    return this.targets.list(tenantIdOf(p), id, 'calendar');
  }

  @Post(':id/targets')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Adds a target: all, a group, a user or a filter; include or exclude' })
  @ApiBody({ schema: openApiSchema(createTargetSchema) })
  async addTarget(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: unknown,
  ) {
    await this.lists.get(tenantIdOf(p), id);
    return this.targets.add(actorOf(p), id, parseInput(createTargetSchema, body), 'calendar');
  }

  @Patch(':id/targets/:targetId')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'targetId', format: 'uuid' })
  @ApiOperation({
    summary: 'Changes a target, checked as a new one; the next run follows it',
  })
  @ApiBody({ schema: openApiSchema(updateTargetSchema) })
  async updateTarget(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('targetId', UuidPipe) targetId: string,
    @Body() body: unknown,
  ) {
    await this.lists.get(tenantIdOf(p), id);
    return this.targets.update(
      actorOf(p),
      id,
      targetId,
      parseInput(updateTargetSchema, body),
      'calendar',
    );
  }

  @Delete(':id/targets/:targetId')
  @HttpCode(204)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'targetId', format: 'uuid' })
  @ApiOperation({
    summary: 'Removes a target; the next run deletes our events from mailboxes no longer targeted',
  })
  async removeTarget(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('targetId', UuidPipe) targetId: string,
  ): Promise<void> {
    await this.targets.remove(actorOf(p), id, targetId, 'calendar');
  }

  @Get(':id/schedule')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: "The calendar list's schedule with its next fire times" })
  getSchedule(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string) {
    return this.schedules.get(tenantIdOf(p), id, 'calendar');
  }

  @Put(':id/schedule')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'Sets the schedule (cron + IANA time zone, validated); feeds are fetched on it',
  })
  @ApiBody({ schema: openApiSchema(scheduleSchema) })
  async putSchedule(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: unknown,
  ) {
    await this.lists.get(tenantIdOf(p), id);
    return this.schedules.put(actorOf(p), id, parseInput(scheduleSchema, body), 'calendar');
  }

  @Delete(':id/schedule')
  @HttpCode(204)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Removes the schedule' })
  async removeSchedule(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
  ): Promise<void> {
    await this.schedules.remove(actorOf(p), id, 'calendar');
  }

  @Get(':id/runs')
  @Paged()
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary:
      "The calendar list's run history, newest first (each run's details: GET /api/runs/{id})",
  })
  listRuns(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Query() query: unknown,
  ) {
    return this.runs.listOf(tenantIdOf(p), id, 'calendar', parseInput(pageSchema, query));
  }

  @Post(':id/runs')
  @HttpCode(202)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary:
      'Sync now (mode sync) or a dry-run preview (mode dry_run, writes nothing; its plan: GET /api/runs/{id}/preview): 202 with the run id, started or merged into the active run',
  })
  @ApiBody({ schema: openApiSchema(runRequestSchema), required: false })
  async requestRun(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: unknown,
  ) {
    await this.lists.get(tenantIdOf(p), id);
    const { mode } = parseInput(runRequestSchema, body ?? {});
    return this.runs.trigger(actorOf(p), id, mode, 'calendar');
  }
}
