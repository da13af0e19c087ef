import { alertSettingsSchema, AlertsService, openApiSchema, parseInput } from '@app/admin';
import { Body, Controller, Get, Inject, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { actorOf, CurrentPrincipal, tenantIdOf, type Principal } from '../auth/principal';

@ApiTags('alerts')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/alerts')
@UseGuards(AuthGuard)
export class AlertsController {
  constructor(@Inject(AlertsService) private readonly alerts: AlertsService) {}

  @Get()
  @ApiOperation({
    summary:
      'Alert settings: e-mail recipients, webhook URL (the secret is never returned), quiet period',
  })
  get(@CurrentPrincipal() p: Principal) {
    return this.alerts.get(tenantIdOf(p));
  }

  @Put()
  @ApiOperation({
    summary:
      'Sets the alert settings. Alerts fire when a run ends failed or partial, or consent is lost; webhooks are signed: X-Contact-Sync-Signature: sha256=<hex HMAC-SHA256 of the body>',
  })
  @ApiBody({ schema: openApiSchema(alertSettingsSchema) })
  put(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.alerts.put(actorOf(p), parseInput(alertSettingsSchema, body));
  }
}
