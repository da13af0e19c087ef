import {
  createOperatorGrantSchema,
  OperatorGrantsService,
  openApiSchema,
  pageSchema,
  parseInput,
} from '@app/admin';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCookieAuth,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { Paged } from '../http/paged.decorator';
import {
  actorOf,
  CurrentPrincipal,
  OwnTenantOnly,
  RequireRole,
  tenantIdOf,
  type Principal,
} from '../auth/principal';
import { UuidPipe } from '../http/params';

/**
 * MSP operator grants of the caller's own tenant. Admin only, for reading too (the list says
 * who else can manage the tenant), and never for an operator acting with X-Tenant-Id.
 */
@ApiTags('operators')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/tenant/operators')
@UseGuards(AuthGuard)
@RequireRole('admin')
@OwnTenantOnly()
export class TenantOperatorsController {
  constructor(@Inject(OperatorGrantsService) private readonly grants: OperatorGrantsService) {}

  @Get()
  @Paged()
  @ApiOperation({
    summary: 'MSP operators granted on this tenant (Admin of the tenant only; not operators)',
  })
  list(@CurrentPrincipal() p: Principal, @Query() query: unknown) {
    return this.grants.list(tenantIdOf(p), parseInput(pageSchema, query));
  }

  @Post()
  @ApiOperation({
    summary:
      'Grants a user of another Entra tenant (home tenant id + object id) Admin or Viewer on this tenant; 409 if that operator already has a grant',
  })
  @ApiBody({ schema: openApiSchema(createOperatorGrantSchema) })
  create(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    return this.grants.create(actorOf(p), parseInput(createOperatorGrantSchema, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: "Revokes an operator grant; the operator's next request for this tenant is refused",
  })
  async revoke(@CurrentPrincipal() p: Principal, @Param('id', UuidPipe) id: string): Promise<void> {
    await this.grants.revoke(actorOf(p), id);
  }
}
