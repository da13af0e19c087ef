import {
  ewsSettingsSchema,
  EwsService,
  ewsTestSchema,
  openApiSchema,
  parseInput,
} from '@app/admin';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Post,
  Put,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { actorOf, CurrentPrincipal, tenantIdOf, type Principal } from '../auth/principal';

@ApiTags('ews')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/ews')
@UseGuards(AuthGuard)
export class EwsController {
  constructor(@Inject(EwsService) private readonly ews: EwsService) {}

  @Get()
  @ApiOperation({
    summary:
      'EWS connection for on-premises mailboxes (the password is never returned: passwordSet only)',
  })
  get(@CurrentPrincipal() p: Principal) {
    return this.ews.get(tenantIdOf(p));
  }

  @Put()
  @ApiOperation({
    summary:
      'Sets the EWS connection: https server URL, user, password (write-only, stored encrypted; omit to keep), impersonation address, Global Address List id and CA certificate (each: omit to keep, null to clear; an EWS-only organisation cannot clear the impersonation address or the Global Address List id: 400 naming the field)',
  })
  @ApiBody({ schema: openApiSchema(ewsSettingsSchema) })
  put(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.ews.put(actorOf(p), parseInput(ewsSettingsSchema, body));
  }

  @Post('test')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Tests the stored EWS connection (DNS, TLS, sign-in, impersonation of the mailbox): ok, or a code and a sentence saying what to fix. Changes nothing',
  })
  @ApiBody({ schema: openApiSchema(ewsTestSchema) })
  test(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.ews.test(tenantIdOf(p), parseInput(ewsTestSchema, body ?? {}));
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Removes the EWS connection and its stored password' })
  async remove(@CurrentPrincipal() p: Principal): Promise<void> {
    await this.ews.remove(actorOf(p));
  }
}
