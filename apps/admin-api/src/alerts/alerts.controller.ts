import {
  alertSettingsSchema,
  AlertsService,
  AlertTestDelivery,
  openApiSchema,
  parseInput,
} from '@app/admin';
import { Body, Controller, Get, HttpCode, Inject, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { actorOf, CurrentPrincipal, tenantIdOf, type Principal } from '../auth/principal';

@ApiTags('alerts')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/alerts')
@UseGuards(AuthGuard)
export class AlertsController {
  constructor(
    @Inject(AlertsService) private readonly alerts: AlertsService,
    @Inject(AlertTestDelivery) private readonly test: AlertTestDelivery,
  ) {}

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

  @Post('test')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Sends a test alert now on the saved channels (e-mail, signed webhook of kind `test`) and answers how each went; not retried',
    description:
      'Each channel answers `sent`, `failed` (the webhook with its `code` and `httpStatus`) or ' +
      '`none` (nothing saved, or no SMTP server configured: `email.configured` false). Audited ' +
      'as `alerts.test`.',
  })
  sendTest(@CurrentPrincipal() p: Principal) {
    return this.test.send(actorOf(p));
  }
}
