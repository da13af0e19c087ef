import { OperatorGrantsService, pageSchema, parseInput } from '@app/admin';
import { Controller, ForbiddenException, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiCookieAuth, ApiExtension, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { Paged } from '../http/paged.decorator';
import {
  CurrentPrincipal,
  NO_OPERATOR_HEADER,
  Onboarding,
  type Principal,
} from '../auth/principal';

/**
 * What a signed-in MSP operator may manage. An onboarding route: the operator's own
 * organization need not be a customer.
 */
@ApiTags('operators')
@ApiCookieAuth()
@Controller('api/operator')
@UseGuards(AuthGuard)
export class OperatorTenantsController {
  constructor(@Inject(OperatorGrantsService) private readonly grants: OperatorGrantsService) {}

  @Get('tenants')
  @Onboarding()
  @ApiExtension(NO_OPERATOR_HEADER, false)
  @Paged()
  @ApiOperation({
    summary:
      'Tenants the signed-in user may manage as an MSP operator (our tenant id for X-Tenant-Id, Azure tenant id, name, status, role)',
  })
  tenants(@CurrentPrincipal() p: Principal, @Query() query: unknown) {
    if (p.kind !== 'session' || !p.session)
      throw new ForbiddenException({
        error: 'forbidden',
        message: 'operators are signed-in users; an API token acts for its own tenant only',
      });
    // The signed-in identity, also while acting for a tenant with X-Tenant-Id.
    return this.grants.tenantsOf(p.session.tid, p.session.oid, parseInput(pageSchema, query));
  }
}
