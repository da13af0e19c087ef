import { ReceiveStripeEventUseCase } from '@app/billing';
import {
  Controller,
  Headers,
  HttpCode,
  Inject,
  Post,
  Req,
  type RawBodyRequest,
} from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../auth/principal';

/**
 * Stripe's webhook endpoint (registered only when billing is configured): verified over the raw
 * body, stored in SQL before the 200, processed by the worker through the stripe-event queue.
 */
@ApiTags('billing')
@Controller('api/billing/stripe')
@Public()
export class BillingWebhookController {
  constructor(
    @Inject(ReceiveStripeEventUseCase) private readonly receive: ReceiveStripeEventUseCase,
  ) {}

  @Post('webhook')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Stripe webhook (Stripe calls it; configure the endpoint with the pinned API version). 400 stripe_signature_invalid on a bad, missing or stale signature; a repeated event answers 200 and changes nothing.',
  })
  @ApiHeader({ name: 'Stripe-Signature', required: true })
  async webhook(
    @Req() req: RawBodyRequest<Request>,
    @Headers('stripe-signature') signature: string | undefined,
  ) {
    const received = await this.receive.execute(req.rawBody, signature);
    return { received: true, duplicate: received.duplicate };
  }
}
