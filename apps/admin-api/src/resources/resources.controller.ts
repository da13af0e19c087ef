import {
  ApiTokensService,
  auditQuerySchema,
  NotFound,
  ContactListsService,
  createListSchema,
  createTargetSchema,
  createEntrySchema,
  csvImportQuerySchema,
  entriesQuerySchema,
  ListEntriesService,
  updateEntrySchema,
  updateTargetSchema,
  listView,
  createTokenSchema,
  openApiSchema,
  pageSchema,
  parseInput,
  RunPreviewService,
  RunsService,
  runMailboxesQuerySchema,
  runsQuerySchema,
  scheduleSchema,
  SchedulesService,
  TargetsService,
  TenantsService,
  SyncLogsService,
  syncLogsQuerySchema,
  updateListSchema,
  ValidationFailed,
} from '@app/admin';
import { CsvImportJobs } from '@app/sync';
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
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import {
  actorOf,
  CurrentPrincipal,
  OwnTenantOnly,
  tenantIdOf,
  type Principal,
} from '../auth/principal';
import { Paged } from '../http/paged.decorator';
import { UuidPipe } from '../http/params';
import { RUN_PREVIEW_SCHEMA } from './run-preview.schema';

@ApiTags('lists')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/lists')
@UseGuards(AuthGuard)
export class ListsController {
  constructor(
    @Inject(ContactListsService) private readonly lists: ContactListsService,
    @Inject(TargetsService) private readonly targets: TargetsService,
    @Inject(SchedulesService) private readonly schedules: SchedulesService,
    @Inject(RunsService) private readonly runs: RunsService,
    @Inject(CsvImportJobs) private readonly csv: CsvImportJobs,
    @Inject(ListEntriesService) private readonly entries: ListEntriesService,
  ) {}

  @Get()
  @Paged()
  @ApiOperation({ summary: 'Contact lists of the tenant' })
  list(@CurrentPrincipal() p: Principal, @Query() query: unknown) {
    return this.lists.list(tenantIdOf(p), parseInput(pageSchema, query));
  }

  @Post()
  @ApiOperation({
    summary: 'Creates a contact list (sources, mapping, filters, policies, folder, photos)',
  })
  @ApiBody({ schema: openApiSchema(createListSchema) })
  create(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.lists.create(actorOf(p), parseInput(createListSchema, body));
  }

  @Get(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'One contact list' })
  async get(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string) {
    return listView(await this.lists.get(tenantIdOf(p), id));
  }

  @Patch(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Changes a contact list' })
  @ApiBody({ schema: openApiSchema(updateListSchema) })
  update(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: unknown,
  ) {
    return this.lists.update(actorOf(p), id, parseInput(updateListSchema, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Deletes a contact list with its targets and schedule' })
  async remove(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string): Promise<void> {
    await this.lists.remove(actorOf(p), id);
  }

  @Get(':id/targets')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Who receives the list' })
  listTargets(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string) {
    return this.targets.list(tenantIdOf(p), id);
  }

  @Post(':id/targets')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Adds a target: all, a group, a user or a filter; include or exclude' })
  @ApiBody({ schema: openApiSchema(createTargetSchema) })
  addTarget(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: unknown,
  ) {
    return this.targets.add(actorOf(p), id, parseInput(createTargetSchema, body));
  }

  @Patch(':id/targets/:targetId')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'targetId', format: 'uuid' })
  @ApiOperation({
    summary:
      'Changes a target (kind, mode, group or user id, filter), checked as a new one; the next run follows it',
  })
  @ApiBody({ schema: openApiSchema(updateTargetSchema) })
  updateTarget(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('targetId', UuidPipe) targetId: string,
    @Body() body: unknown,
  ) {
    return this.targets.update(actorOf(p), id, targetId, parseInput(updateTargetSchema, body));
  }

  @Delete(':id/targets/:targetId')
  @HttpCode(204)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'targetId', format: 'uuid' })
  @ApiOperation({ summary: 'Removes a target' })
  async removeTarget(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('targetId', UuidPipe) targetId: string,
  ): Promise<void> {
    await this.targets.remove(actorOf(p), id, targetId);
  }

  @Get(':id/schedule')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: "The list's schedule with its next fire times" })
  getSchedule(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string) {
    return this.schedules.get(tenantIdOf(p), id);
  }

  @Put(':id/schedule')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Sets the schedule (cron + IANA time zone, validated)' })
  @ApiBody({ schema: openApiSchema(scheduleSchema) })
  putSchedule(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: unknown,
  ) {
    return this.schedules.put(actorOf(p), id, parseInput(scheduleSchema, body));
  }

  @Delete(':id/schedule')
  @HttpCode(204)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Removes the schedule' })
  async removeSchedule(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
  ): Promise<void> {
    await this.schedules.remove(actorOf(p), id);
  }

  @Post(':id/sync')
  @HttpCode(202)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary:
      'Sync now: 202 with the run id (status started, merged into the active run, or queued)',
  })
  syncNow(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string) {
    return this.runs.trigger(actorOf(p), id, 'sync');
  }

  @Post(':id/preview')
  @HttpCode(202)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'Dry-run preview: plans what a run would change, writes nothing to mailboxes',
  })
  preview(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string) {
    return this.runs.trigger(actorOf(p), id, 'dry_run');
  }

  @Get(':id/entries')
  @Paged()
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({
    name: 'email',
    required: false,
    description: 'entries whose first e-mail address is exactly this (searched by blind index)',
    schema: { type: 'string', maxLength: 320 },
  })
  @ApiQuery({
    name: 'key',
    required: false,
    description: 'the entry with exactly this key (searched by blind index)',
    schema: { type: 'string', maxLength: 128 },
  })
  @ApiOperation({
    summary: "The list's manual entries, oldest first; search by exact e-mail or key",
  })
  listEntries(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Query() query: unknown,
  ) {
    return this.entries.list(tenantIdOf(p), id, parseInput(entriesQuerySchema, query));
  }

  @Post(':id/entries')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary:
      'Adds a manual entry (contact fields as in a CSV header; a key, or its first e-mail as key); checked as the sync reads it',
  })
  @ApiBody({ schema: openApiSchema(createEntrySchema) })
  addEntry(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Body() body: unknown,
  ) {
    return this.entries.add(actorOf(p), id, parseInput(createEntrySchema, body));
  }

  @Get(':id/entries/:entryId')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'entryId', format: 'uuid' })
  @ApiOperation({ summary: 'One manual entry' })
  getEntry(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('entryId', UuidPipe) entryId: string,
  ) {
    return this.entries.get(tenantIdOf(p), id, entryId);
  }

  @Patch(':id/entries/:entryId')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'entryId', format: 'uuid' })
  @ApiOperation({
    summary: 'Changes fields of a manual entry (null or "" removes one); its key never changes',
  })
  @ApiBody({ schema: openApiSchema(updateEntrySchema) })
  updateEntry(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('entryId', UuidPipe) entryId: string,
    @Body() body: unknown,
  ) {
    return this.entries.update(actorOf(p), id, entryId, parseInput(updateEntrySchema, body));
  }

  @Delete(':id/entries/:entryId')
  @HttpCode(204)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'entryId', format: 'uuid' })
  @ApiOperation({ summary: 'Deletes a manual entry; the next run removes its contact' })
  async removeEntry(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('entryId', UuidPipe) entryId: string,
  ): Promise<void> {
    await this.entries.remove(actorOf(p), id, entryId);
  }

  @Post(':id/entries/csv')
  @HttpCode(202)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({
    name: 'mode',
    required: false,
    description:
      "replace (default): the file becomes the list's entries; merge: its rows add entries or update those with the same key, the others stay",
    schema: { type: 'string', enum: ['replace', 'merge'] },
  })
  @ApiConsumes('text/csv')
  @ApiBody({
    schema: {
      type: 'string',
      description: 'CSV with contact field columns, optional key and phoneRegion',
    },
  })
  @ApiOperation({
    summary:
      "Queues a CSV import that replaces (or merges into) the list's manual entries, all or nothing; answers 202 with the job id and its status URL",
  })
  async importCsv(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Query() query: unknown,
    @Body() body: unknown,
  ) {
    const { mode } = parseInput(csvImportQuerySchema, query);
    // Cheap checks only: the worker parses and validates the file (issue #16).
    if (typeof body !== 'string' || body.trim().length === 0)
      throw new ValidationFailed([
        { field: '(body)', message: 'expected a non-empty text/csv body' },
      ]);
    const actor = actorOf(p);
    await this.lists.get(actor.tenantId, id);
    const job = await this.csv.create(actor.tenantId, id, body, mode);
    await this.lists.recordCsvImport(actor, id, {
      jobId: job.id,
      sizeBytes: job.sizeBytes,
      mode,
    });
    return {
      jobId: job.id,
      status: job.status,
      statusUrl: `/api/lists/${id}/entries/csv/${job.id}`,
    };
  }

  @Get(':id/entries/csv/:jobId')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'jobId', format: 'uuid' })
  @ApiOperation({
    summary:
      'Status of a CSV import: queued, running, succeeded or failed, with progress and per-row problems',
  })
  async csvImportStatus(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Param('jobId', UuidPipe) jobId: string,
  ) {
    const job = await this.csv.get(tenantIdOf(p), id, jobId);
    if (!job) throw new NotFound('import job');
    return job;
  }
}

@ApiTags('runs')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/runs')
@UseGuards(AuthGuard)
export class RunsController {
  constructor(
    @Inject(RunsService) private readonly runs: RunsService,
    @Inject(RunPreviewService) private readonly previews: RunPreviewService,
    @Inject(SyncLogsService) private readonly logs: SyncLogsService,
  ) {}

  @Get()
  @Paged()
  @ApiQuery({ name: 'listId', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiOperation({ summary: 'Run history, newest first' })
  list(@CurrentPrincipal() p: Principal, @Query() query: unknown) {
    return this.runs.list(tenantIdOf(p), parseInput(runsQuerySchema, query));
  }

  @Get(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'One run: counts, mailboxes by status, error codes and what to do about them',
    description:
      'Changed (issue #19): the unpaged `mailboxOutcomes` array is gone. `outcomes` counts the ' +
      'mailboxes by status (succeeded, failed, skipped, cancelled, notReported); the ' +
      'per-mailbox outcomes are paged and filtered by `GET /api/runs/{id}/mailboxes`.',
  })
  get(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string) {
    return this.runs.get(tenantIdOf(p), id);
  }

  @Get(':id/preview')
  @Paged()
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary:
      "A preview's plan per mailbox (paged by mailbox): counts and a sample of the changes the next run makes — " +
      'which contact, which fields, create/update/delete — including the deletions in mailboxes no longer targeted; 409 when the run is not a preview',
  })
  @ApiOkResponse({ schema: RUN_PREVIEW_SCHEMA })
  preview(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Query() query: unknown,
  ) {
    return this.previews.get(tenantIdOf(p), id, parseInput(pageSchema, query));
  }

  @Get(':id/mailboxes')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 200 },
  })
  @ApiQuery({ name: 'cursor', required: false, description: '`nextCursor` of the previous page' })
  @ApiQuery({
    name: 'status',
    required: false,
    schema: { type: 'string', enum: ['succeeded', 'failed', 'skipped', 'cancelled'] },
  })
  @ApiQuery({ name: 'errorCode', required: false, description: 'e.g. MAILBOX_NOT_FOUND' })
  @ApiOperation({
    summary: "The run's per-mailbox outcomes by mailbox id, paged, filtered by status and code",
    description:
      'Each outcome: status, code, message, advice, items created/updated/deleted. `nextCursor` ' +
      'is null on the last page. Mailboxes that never reported (see `outcomes.notReported` of ' +
      'the run) have no outcome.',
  })
  mailboxes(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Query() query: unknown,
  ) {
    return this.runs.outcomesOf(tenantIdOf(p), id, parseInput(runMailboxesQuerySchema, query));
  }

  @Get(':id/logs')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 200 },
  })
  @ApiQuery({ name: 'cursor', required: false, description: '`nextCursor` of the previous page' })
  @ApiQuery({ name: 'mailboxId', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({
    name: 'level',
    required: false,
    schema: { type: 'string', enum: ['debug', 'info', 'warn', 'error'] },
  })
  @ApiOperation({ summary: "The run's sync logs, newest first, paged (as GET /api/logs?runId=)" })
  runLogs(
    @CurrentPrincipal() p: Principal,
    @Param('id', UuidPipe) id: string,
    @Query() query: unknown,
  ) {
    const parsed = parseInput(syncLogsQuerySchema.omit({ runId: true }), query);
    return this.logs.page(tenantIdOf(p), { ...parsed, runId: id });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'Cancels a queued or running run (409 when it has ended, or for a clean-up run)',
    description:
      'The run ends as `cancelled` at once and the list may run again. Its mailbox jobs stop ' +
      'between two write batches: what they wrote is recorded (map and counts; their outcome ' +
      'is `cancelled`), jobs not started do nothing. The next run finishes the rest.',
  })
  cancel(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string) {
    return this.runs.cancel(actorOf(p), id);
  }
}

@ApiTags('tokens')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/tokens')
@UseGuards(AuthGuard)
export class TokensController {
  constructor(@Inject(ApiTokensService) private readonly tokens: ApiTokensService) {}

  @Get()
  @ApiOperation({ summary: 'API tokens of the tenant (never the token itself)' })
  list(@CurrentPrincipal() p: Principal) {
    return this.tokens.list(tenantIdOf(p));
  }

  @Post()
  // A token would outlive a revoked operator grant: only the tenant's own admins make them.
  @OwnTenantOnly()
  @ApiOperation({ summary: 'Creates an API token; the token is in this answer only' })
  @ApiBody({ schema: openApiSchema(createTokenSchema) })
  create(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.tokens.create(actorOf(p), parseInput(createTokenSchema, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Revokes an API token' })
  async revoke(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string): Promise<void> {
    await this.tokens.revoke(actorOf(p), id);
  }
}

@ApiTags('audit')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/audit')
@UseGuards(AuthGuard)
export class AuditController {
  constructor(@Inject(TenantsService) private readonly tenants: TenantsService) {}

  @Get()
  @Paged()
  @ApiQuery({ name: 'actorId', required: false, schema: { type: 'string', maxLength: 100 } })
  @ApiQuery({
    name: 'actorType',
    required: false,
    schema: { type: 'string', enum: ['admin', 'api_token', 'operator', 'system'] },
  })
  @ApiQuery({
    name: 'action',
    required: false,
    description: 'e.g. auth.sign_in; a trailing * matches a prefix (list.*)',
    schema: { type: 'string', maxLength: 64, pattern: '^[a-z_]+(\\.[a-z_]+)*(\\.\\*)?$' },
  })
  @ApiQuery({ name: 'targetType', required: false, schema: { type: 'string', maxLength: 32 } })
  @ApiQuery({ name: 'targetId', required: false, schema: { type: 'string', maxLength: 64 } })
  @ApiQuery({ name: 'from', required: false, schema: { type: 'string', format: 'date-time' } })
  @ApiQuery({ name: 'to', required: false, schema: { type: 'string', format: 'date-time' } })
  @ApiOperation({
    summary:
      'Audit log: who changed what, when (sign-ins and refused API tokens too); filters by actor, action, target and time',
  })
  list(@CurrentPrincipal() p: Principal, @Query() query: unknown) {
    return this.tenants.auditLog(tenantIdOf(p), parseInput(auditQuerySchema, query), {
      forViewer: p.role !== 'admin',
    });
  }
}
