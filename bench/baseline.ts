import { ClientSecretCredential } from '@azure/identity';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import type { BenchSim } from './sim';

const FOLDER = 'Naive baseline';

/** The contact a naive script writes for a directory user: the usual fields, nothing else. */
export function naiveContact(user: Record<string, unknown>): Record<string, unknown> {
  const str = (k: string) => (typeof user[k] === 'string' ? (user[k] as string) : undefined);
  const contact: Record<string, unknown> = {
    displayName: str('displayName'),
    givenName: str('givenName'),
    surname: str('surname'),
    jobTitle: str('jobTitle'),
    department: str('department'),
    companyName: str('companyName'),
    officeLocation: str('officeLocation'),
    businessPhones: Array.isArray(user.businessPhones) ? user.businessPhones : [],
    mobilePhone: str('mobilePhone'),
  };
  const mail = str('mail');
  if (mail) contact.emailAddresses = [{ address: mail, name: str('displayName') }];
  for (const k of Object.keys(contact)) if (contact[k] === undefined) delete contact[k];
  return contact;
}

export interface BaselinePass {
  mailboxes: number;
  wallSeconds: number;
  /** HTTP requests to Graph (the token endpoint excluded) */
  requests: number;
  creates: number;
  deletes: number;
}

/**
 * What the open-source scripts do: one mailbox after another, one request per contact, and
 * every run deletes what the previous run wrote and creates it again. Through the official
 * Graph client (its default middleware, retry handler included), against the same simulator.
 */
export class NaiveBaseline {
  private readonly client: Client;

  constructor(sim: BenchSim) {
    const credential = new ClientSecretCredential(
      sim.tenantId,
      sim.ready.clientId,
      sim.ready.clientSecret,
      {
        authorityHost: sim.ready.baseUrl,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: sim.caPem },
      } as ConstructorParameters<typeof ClientSecretCredential>[3],
    );
    this.client = Client.initWithMiddleware({
      authProvider: new TokenCredentialAuthenticationProvider(credential, {
        scopes: ['https://graph.microsoft.com/.default'],
      }),
      baseUrl: sim.ready.baseUrl,
      customHosts: new Set([sim.ready.host]),
      fetchOptions: { dispatcher: sim.dispatcher } as RequestInit,
    });
  }

  /**
   * A request again when it failed below HTTP (GraphError statusCode -1: a keep-alive socket the
   * server closed as the request went out, seen on a loaded machine): what any script's HTTP
   * stack would do, so the baseline measures the script, not a socket race. HTTP errors are not
   * retried here (the client's own middleware handles 429/503).
   */
  private async retry<T>(send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        const status = (error as { statusCode?: number }).statusCode;
        if (attempt >= 3 || (status !== undefined && status !== -1)) throw error;
      }
    }
  }

  /** One run of the script over `mailboxes`, writing `contacts` into each. */
  async run(
    mailboxes: readonly string[],
    contacts: ReadonlyArray<Record<string, unknown>>,
  ): Promise<BaselinePass> {
    const pass: BaselinePass = {
      mailboxes: mailboxes.length,
      wallSeconds: 0,
      requests: 0,
      creates: 0,
      deletes: 0,
    };
    const t0 = performance.now();
    for (const mailbox of mailboxes) {
      const base = `/users/${mailbox}/contactFolders`;
      pass.requests++;
      const found = (await this.retry(() =>
        this.client.api(base).filter(`displayName eq '${FOLDER}'`).get(),
      )) as {
        value: Array<{ id: string }>;
      };
      let folderId = found.value[0]?.id;
      if (!folderId) {
        pass.requests++;
        folderId = (
          (await this.retry(() => this.client.api(base).post({ displayName: FOLDER }))) as {
            id: string;
          }
        ).id;
      }
      // delete everything the last run wrote ...
      const existing: string[] = [];
      let next: string | undefined = `${base}/${folderId}/contacts?$select=id&$top=999`;
      while (next) {
        pass.requests++;
        const page = (await this.retry(() => this.client.api(next!).get())) as {
          value: Array<{ id: string }>;
          '@odata.nextLink'?: string;
        };
        existing.push(...page.value.map((c) => c.id));
        next = page['@odata.nextLink'];
      }
      for (const id of existing) {
        pass.requests++;
        await this.retry(() => this.client.api(`/users/${mailbox}/contacts/${id}`).delete());
        pass.deletes++;
      }
      // ... and create every contact again, one request each
      for (const contact of contacts) {
        pass.requests++;
        await this.retry(() => this.client.api(`${base}/${folderId}/contacts`).post(contact));
        pass.creates++;
      }
    }
    pass.wallSeconds = (performance.now() - t0) / 1000;
    return pass;
  }
}
