import type { Provider } from '@nestjs/common';
import { AlertDeliverer } from './alert-deliverer';
import { AlertDetector } from './alert-detector';
import { AlertSettingsService } from './alert-settings.service';
import { AlertTestDelivery } from './alert-test-delivery';
import { AlertsService } from './alerts.service';
import { EmailChannel } from './email-channel';
import { WebhookChannel } from './webhook-channel';

/** Everything alerts need, for an app module's providers. */
export const ALERT_PROVIDERS: Provider[] = [
  WebhookChannel,
  EmailChannel,
  AlertSettingsService,
  AlertDetector,
  AlertDeliverer,
  AlertsService,
  AlertTestDelivery,
];
