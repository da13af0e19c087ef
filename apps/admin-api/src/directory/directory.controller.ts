import { ValidationFailed } from '@app/admin';
import { DirectoryReader } from '@app/microsoft';
import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';

// The user picker searches as the admin types: a short answer, from a term long enough to narrow.
const SEARCH_MIN = 2;
const SEARCH_MAX = 64;
const SEARCH_LIMIT_DEFAULT = 10;
const SEARCH_LIMIT_MAX = 25;

/** Read-only views of the tenant's directory that the dashboard's pickers need. */
@ApiTags('directory')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/directory')
@UseGuards(AuthGuard)
export class DirectoryController {
  constructor(@Inject(DirectoryReader) private readonly directory: DirectoryReader) {}

  @Get('groups')
  @ApiOperation({ summary: "The tenant's groups (id, display name), to pick a group target" })
  async groups(@CurrentPrincipal() p: Principal) {
    if (!p.tenant) throw new Error('tenant not onboarded');
    return { items: await this.directory.groups(p.tenant) };
  }

  @Get('users')
  @ApiQuery({
    name: 'ids',
    required: false,
    description: 'Comma-separated user (mailbox) ids, at most 100 (give ids or search)',
    schema: { type: 'string' },
  })
  @ApiQuery({
    name: 'search',
    required: false,
    description: `Part of a name (the start of a word), a mail address or principal name: ${SEARCH_MIN} to ${SEARCH_MAX} characters, no double quote (give ids or search)`,
    schema: { type: 'string', minLength: SEARCH_MIN, maxLength: SEARCH_MAX },
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    description: `With search: at most this many users (1 to ${SEARCH_LIMIT_MAX}, default ${SEARCH_LIMIT_DEFAULT})`,
    schema: { type: 'integer', minimum: 1, maximum: SEARCH_LIMIT_MAX },
  })
  @ApiOperation({
    summary:
      'Users (id, display name, user principal name, mail): named by ids (e.g. the mailboxes of a run), or found by search as the admin types (the user picker), by display name',
  })
  async users(
    @CurrentPrincipal() p: Principal,
    @Query('ids') ids: unknown,
    @Query('search') search: unknown,
    @Query('limit') limit: unknown,
  ) {
    if (!p.tenant) throw new Error('tenant not onboarded');
    if (search !== undefined) {
      if (ids !== undefined)
        throw new ValidationFailed([{ field: 'ids', message: 'give either ids or search' }]);
      const text = typeof search === 'string' ? search.trim() : '';
      if (text.length < SEARCH_MIN || text.length > SEARCH_MAX || /["\\]/.test(text))
        throw new ValidationFailed([
          {
            field: 'search',
            message: `expected ${SEARCH_MIN} to ${SEARCH_MAX} characters without double quotes or backslashes`,
          },
        ]);
      const top = limit === undefined ? SEARCH_LIMIT_DEFAULT : Number(limit);
      if (!Number.isInteger(top) || top < 1 || top > SEARCH_LIMIT_MAX)
        throw new ValidationFailed([
          { field: 'limit', message: `expected a whole number from 1 to ${SEARCH_LIMIT_MAX}` },
        ]);
      return { items: await this.directory.searchUsers(p.tenant, text, top) };
    }
    const list = typeof ids === 'string' ? ids.split(',').map((id) => id.trim().toLowerCase()) : [];
    if (!list.length || list.length > 100 || !list.every((id) => UUID.test(id)))
      throw new ValidationFailed([
        {
          field: 'ids',
          message: 'expected 1 to 100 comma-separated user ids (UUIDs), or a search instead',
        },
      ]);
    return { items: await this.directory.usersByIds(p.tenant, [...new Set(list)]) };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
