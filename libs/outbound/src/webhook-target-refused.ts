import { CodedError } from '@app/domain';

export type WebhookTargetRefusedCode =
  | 'WEBHOOK_SCHEME_NOT_ALLOWED'
  | 'WEBHOOK_HOST_UNRESOLVED'
  | 'WEBHOOK_ADDRESS_NOT_PUBLIC'
  | 'WEBHOOK_ADDRESS_UNUSABLE';

/** A webhook URL we will not connect to; the message is safe to show the tenant admin. */
export class WebhookTargetRefused extends CodedError {
  declare readonly code: WebhookTargetRefusedCode;

  constructor(code: WebhookTargetRefusedCode, message: string) {
    super(code, message);
  }
}
