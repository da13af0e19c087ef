import { ValidationFailed } from '@app/admin';
import { DirectoryReader } from '@app/microsoft';
import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentPrincipal, type Principal } from '../auth/principal';

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
    required: true,
    description: 'Comma-separated user (mailbox) ids, at most 100',
    schema: { type: 'string' },
  })
  @ApiOperation({
    summary:
      'Names of some users (id, display name, user principal name), e.g. the mailboxes of a run',
  })
  async users(@CurrentPrincipal() p: Principal, @Query('ids') ids: unknown) {
    if (!p.tenant) throw new Error('tenant not onboarded');
    const list = typeof ids === 'string' ? ids.split(',').map((id) => id.trim().toLowerCase()) : [];
    if (!list.length || list.length > 100 || !list.every((id) => UUID.test(id)))
      throw new ValidationFailed([
        { field: 'ids', message: 'expected 1 to 100 comma-separated user ids (UUIDs)' },
      ]);
    return { items: await this.directory.usersByIds(p.tenant, [...new Set(list)]) };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
