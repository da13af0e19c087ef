import { openApiSchema, parseInput } from '@app/admin';
import { BillingAccountService } from '@app/billing';
import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Post,
  Put,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCookieAuth,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentPrincipal, tenantIdOf, type Principal } from '../auth/principal';
import { baseUrl } from '../auth/urls';
import { checkoutSchema, seatsSchema, usageQuerySchema } from './billing.schemas';

/** The tenant's billing (registered only when billing is configured; otherwise these are 404). */
@ApiTags('billing')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api/billing')
@UseGuards(AuthGuard)
export class BillingController {
  constructor(
    @Inject(BillingAccountService) private readonly billing: BillingAccountService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Plan, seats, mailbox limit, synced mailboxes, grace period, and what the admin must do (payment_action_required: confirm the payment at paymentActionUrl)',
  })
  overview(@CurrentPrincipal() p: Principal) {
    return this.billing.overview(tenantIdOf(p));
  }

  @Get('usage')
  @ApiOperation({ summary: 'Synced mailboxes per day (UTC), oldest first: what seats rest on' })
  @ApiQuery({
    name: 'days',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 366 },
  })
  async usage(@CurrentPrincipal() p: Principal, @Query() query: unknown) {
    const { days } = parseInput(usageQuerySchema, query);
    return { days: await this.billing.usageDays(tenantIdOf(p), days) };
  }

  @Post('checkout')
  @HttpCode(201)
  @ApiOperation({
    summary: 'A Stripe Checkout Session to subscribe for `seats` mailboxes: redirect to `url`',
  })
  @ApiBody({ schema: openApiSchema(checkoutSchema) })
  checkout(@CurrentPrincipal() p: Principal, @Body() body: unknown, @Req() req: Request) {
    const { seats } = parseInput(checkoutSchema, body);
    const page = `${baseUrl(req, this.config)}/billing`;
    return this.billing.startCheckout(tenantIdOf(p), seats, {
      successUrl: `${page}?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
      cancelUrl: `${page}?checkout=cancel`,
    });
  }

  @Post('portal')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'A Stripe Customer Portal session (payment methods, invoices, cancellation): redirect to `url`',
  })
  portal(@CurrentPrincipal() p: Principal, @Req() req: Request) {
    return this.billing.openPortal(tenantIdOf(p), `${baseUrl(req, this.config)}/billing`);
  }

  @Put('seats')
  @ApiOperation({
    summary:
      'Changes the seat count (prorated). Fewer seats than synced mailboxes answers 409 seats_below_usage saying how many would stop being updated, unless acceptFrozen',
  })
  @ApiBody({ schema: openApiSchema(seatsSchema) })
  seats(@CurrentPrincipal() p: Principal, @Body() body: unknown) {
    const { seats, acceptFrozen } = parseInput(seatsSchema, body);
    return this.billing.changeSeats(tenantIdOf(p), seats, acceptFrozen);
  }
}
