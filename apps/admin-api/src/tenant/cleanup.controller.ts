import { CleanupService } from '@app/admin';
import {
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Inject,
  Post,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { actorOf, CurrentPrincipal, Onboarding, type Principal } from '../auth/principal';

/**
 * The tenant's own role check: these routes stay reachable once the tenant is orphaned or
 * suspended (the guard's onboarding mode), so a revoked tenant can still read the outcome.
 */
function requireTenant(p: Principal, role: 'admin' | 'viewer') {
  if (!p.tenant)
    throw new ForbiddenException({
      error: 'tenant_not_onboarded',
      message: 'Your organization is not onboarded.',
    });
  // An operator's role is the grant's alone (their actor id is `${tid}/${oid}`, never consentedBy).
  const consentingAdmin = p.kind === 'session' && !p.operator && p.tenant.consentedBy === p.actorId;
  const effective = consentingAdmin ? 'admin' : p.role;
  if (!effective || (role === 'admin' && effective !== 'admin'))
    throw new ForbiddenException({
      error: 'forbidden',
      message: `needs the ${role === 'admin' ? 'Sync.Admin' : 'Sync.Viewer or Sync.Admin'} role`,
    });
  return actorOf(p);
}

@ApiTags('tenant')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/tenant/cleanup')
@UseGuards(AuthGuard)
export class CleanupController {
  constructor(@Inject(CleanupService) private readonly cleanup: CleanupService) {}

  @Post()
  @Onboarding()
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Clean up and revoke (Admin): records the request and disables every list; the worker then runs a clean-up run per list that removes our items from every mailbox and, when all succeed, deletes our logs and caches and suspends the tenant. POST on a failed clean-up retries it',
  })
  start(@CurrentPrincipal() p: Principal) {
    return this.cleanup.start(requireTenant(p, 'admin'));
  }

  @Get()
  @Onboarding()
  @ApiOperation({
    summary:
      'Clean-up progress (reads only): state and worker phase, per list run status, mailboxes done/total, items deleted; the coded error when failed; once revoked, the steps to remove the enterprise app',
  })
  progress(@CurrentPrincipal() p: Principal) {
    return this.cleanup.progress(requireTenant(p, 'viewer').tenantId);
  }
}
