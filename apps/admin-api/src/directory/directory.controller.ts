import { DirectoryReader } from '@app/microsoft';
import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
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
}
