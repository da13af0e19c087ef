import type { MicrosoftConfig } from '@app/config';
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  type TokenCredential,
} from '@azure/identity';
import { readFileSync } from 'node:fs';
import { MicrosoftError } from '../microsoft-error';

const PUBLIC_AUTHORITY = 'https://login.microsoftonline.com';

/**
 * One app registration, used against each tenant's own authority (never /common), with a
 * certificate when configured (preferred) or a client secret.
 */
export class TokenCredentialFactory {
  private readonly ca?: string;

  constructor(private readonly config: MicrosoftConfig | undefined) {
    this.ca = config?.caFile ? readFileSync(config.caFile, 'utf8') : undefined;
  }

  create(azureTenantId: string): TokenCredential {
    const config = this.config;
    if (!config) {
      throw new MicrosoftError(
        'NOT_CONFIGURED',
        'No Microsoft app registration: set MICROSOFT_CLIENT_ID and a secret or certificate',
      );
    }
    const options = {
      authorityHost: config.authorityHost,
      // Instance discovery asks login.microsoftonline.com about the authority; a private
      // authority (the simulator, a sovereign cloud proxy) must skip it.
      disableInstanceDiscovery: config.authorityHost !== PUBLIC_AUTHORITY,
      ...(this.ca ? { tlsOptions: { ca: this.ca } } : {}),
    };
    return config.certificateFile
      ? new ClientCertificateCredential(
          azureTenantId,
          config.clientId,
          { certificatePath: config.certificateFile },
          options,
        )
      : new ClientSecretCredential(azureTenantId, config.clientId, config.clientSecret!, options);
  }
}
