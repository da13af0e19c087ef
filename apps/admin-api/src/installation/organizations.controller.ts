import { createEwsOrganisationSchemaFor, OrganisationsService, parseInput } from '@app/admin';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InstallationOperatorGuard } from './installation-operator.guard';

/**
 * Organisations the installation's operator creates: an EWS-only one (Exchange Server
 * on-premises, no Microsoft 365) cannot onboard by signing in with Microsoft (ADR 0047).
 * Outside /api and its OpenAPI document, like the queue board: it is the installation's, not
 * a tenant's.
 */
@ApiExcludeController()
@Controller('ops/organizations')
@UseGuards(InstallationOperatorGuard)
export class OrganizationsController {
  constructor(
    @Inject(OrganisationsService) private readonly organisations: OrganisationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** 201: the organisation, its EWS connection (no password) and its first Admin API token (once). */
  @Post('ews-only')
  @HttpCode(201)
  create(@Body() body: unknown) {
    return this.organisations.createEwsOnly(
      parseInput(createEwsOrganisationSchemaFor(this.config.ews.allowHttp), body ?? {}),
    );
  }
}
