import {
  BasePropertySet,
  DeleteMode,
  ExchangeCredentials,
  ExchangeService,
  ExchangeVersion,
  Folder,
  FolderId,
  ItemId,
  PropertySet,
  ServiceResult,
  Uri,
  WellKnownFolderName,
} from 'ews-javascript-api';
import { ewsFailureOf } from './ews-failure';
import { ewsItemOutcome } from './ews-item-outcome';
import { ewsMailboxError } from './ews-mailbox-error';

// What ews-javascript-api itself rejects with for each answer Exchange gives (SOAP faults, error
// response messages, HTTP statuses), read by ewsFailureOf and mapped by ewsMailboxError. The
// answers are written from the EWS reference as Exchange sends them; the library parses them as
// it would parse Exchange's, through an XHR that answers in-process instead of over the network.

const T = 'http://schemas.microsoft.com/exchange/services/2006/types';
const M = 'http://schemas.microsoft.com/exchange/services/2006/messages';
const E = 'http://schemas.microsoft.com/exchange/services/2006/errors';
const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';

function fault(code: string, message: string, extra = ''): string {
  return `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${SOAP}"><s:Body><s:Fault><faultcode xmlns:a="${T}">a:${code}</faultcode><faultstring xml:lang="en-US">${message}</faultstring><detail><e:ResponseCode xmlns:e="${E}">${code}</e:ResponseCode><e:Message xmlns:e="${E}">${message}</e:Message>${extra}</detail></s:Fault></s:Body></s:Envelope>`;
}

function envelope(body: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${SOAP}"><s:Header><h:ServerVersionInfo xmlns:h="${T}" MajorVersion="15" MinorVersion="2" MajorBuildNumber="1544" MinorBuildNumber="4" Version="V2017_07_11"/></s:Header><s:Body>${body}</s:Body></s:Envelope>`;
}

function getFolderError(code: string, message: string): string {
  return envelope(
    `<m:GetFolderResponse xmlns:m="${M}" xmlns:t="${T}"><m:ResponseMessages><m:GetFolderResponseMessage ResponseClass="Error"><m:MessageText>${message}</m:MessageText><m:ResponseCode>${code}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey><m:Folders/></m:GetFolderResponseMessage></m:ResponseMessages></m:GetFolderResponse>`,
  );
}

interface Answer {
  status: number;
  body: string;
  contentType?: string;
}

/** An ExchangeService whose every request gets `answer`, as the library's XHR would deliver it. */
function serviceAnswering(answer: Answer): ExchangeService {
  const service = new ExchangeService(ExchangeVersion.Exchange2013_SP1);
  service.Credentials = new (class extends ExchangeCredentials {
    override PrepareWebRequest(): void {}
  })();
  service.Url = new Uri('https://exchange.contoso.test/EWS/Exchange.asmx');
  const response = {
    status: answer.status,
    statusText: String(answer.status),
    responseText: answer.body,
    headers: { 'content-type': answer.contentType ?? 'text/xml; charset=utf-8' },
    getAllResponseHeaders: () => `content-type : ${answer.contentType ?? 'text/xml'}\r\n`,
    getResponseHeader: (h: string) =>
      h.toLowerCase() === 'content-type' ? (answer.contentType ?? 'text/xml; charset=utf-8') : null,
  };
  service.XHRApi = {
    apiName: 'canned',
    xhr: () => (answer.status === 200 ? Promise.resolve(response) : Promise.reject(response)),
    xhrStream: () => Promise.reject(new Error('not used')),
    disconnect: () => undefined,
  } as never;
  return service;
}

async function failureOf(answer: Answer) {
  try {
    await Folder.Bind(
      serviceAnswering(answer),
      new FolderId(WellKnownFolderName.Contacts),
      new PropertySet(BasePropertySet.IdOnly),
    );
  } catch (error) {
    return ewsFailureOf(error);
  }
  throw new Error('the call did not fail');
}

describe('EWS answers as ews-javascript-api rejects with them, mapped to our codes', () => {
  it.each([
    [
      'ErrorServerBusy fault with BackOffMilliseconds',
      'THROTTLED',
      {
        status: 500,
        body: fault(
          'ErrorServerBusy',
          'The server cannot service this request right now. Try again later.',
          `<t:MessageXml xmlns:t="${T}"><t:Value Name="BackOffMilliseconds">2500</t:Value></t:MessageXml>`,
        ),
      },
      /asked us to wait 3 s/,
    ],
    [
      'ErrorNonExistentMailbox',
      'MAILBOX_NOT_FOUND',
      {
        status: 500,
        body: fault(
          'ErrorNonExistentMailbox',
          'The SMTP address has no mailbox associated with it.',
        ),
      },
      /no mailbox for ann@contoso\.test/,
    ],
    [
      'ErrorImpersonateUserDenied',
      'EWS_IMPERSONATION_DENIED',
      {
        status: 500,
        body: fault(
          'ErrorImpersonateUserDenied',
          'The account does not have permission to impersonate the requested user.',
        ),
      },
      /ApplicationImpersonation/,
    ],
    [
      'ErrorAccessDenied (error response message)',
      'MAILBOX_OUT_OF_SCOPE',
      {
        status: 200,
        body: getFolderError(
          'ErrorAccessDenied',
          'Access is denied. Check credentials and try again.',
        ),
      },
      /scope of its ApplicationImpersonation/,
    ],
    [
      'ErrorSchemaValidation fault',
      'EWS_REQUEST_REJECTED',
      {
        status: 500,
        body: fault('ErrorSchemaValidation', 'The request failed schema validation.'),
      },
      /ErrorSchemaValidation/,
    ],
    [
      'another SOAP fault (ErrorInternalServerError)',
      'TRANSIENT',
      {
        status: 500,
        body: fault(
          'ErrorInternalServerError',
          'An internal server error occurred. The operation failed.',
        ),
      },
      /HTTP 500/,
    ],
    [
      'HTTP 401 (IIS page)',
      'EWS_SIGN_IN_FAILED',
      {
        status: 401,
        body: '401 - Unauthorized: Access is denied due to invalid credentials.',
        contentType: 'text/html',
      },
      /password/,
    ],
    [
      'HTTP 403',
      'PERMISSION_MISSING',
      { status: 403, body: '403 - Forbidden: Access is denied.', contentType: 'text/html' },
      /EwsEnabled/,
    ],
    [
      'HTTP 404 (not the EWS URL)',
      'EWS_ENDPOINT_NOT_FOUND',
      { status: 404, body: 'The resource cannot be found.', contentType: 'text/html' },
      /EWS\/Exchange\.asmx/,
    ],
    [
      'HTTP 503 without SOAP',
      'TRANSIENT',
      { status: 503, body: 'Service Unavailable', contentType: 'text/html' },
      /503/,
    ],
    [
      'HTTP 502 without SOAP',
      'TRANSIENT',
      { status: 502, body: 'Bad Gateway', contentType: 'text/html' },
      /502/,
    ],
  ])('%s → %s', async (_what, code, answer, sentence) => {
    const failure = await failureOf(answer);
    const error = ewsMailboxError(failure, 'ann@contoso.test');
    expect(error).toMatchObject({ code, message: expect.stringMatching(sentence) });
  });

  it('ErrorServerBusy carries its BackOffMilliseconds as retryAfterMs', async () => {
    const failure = await failureOf({
      status: 500,
      body: fault(
        'ErrorServerBusy',
        'busy',
        `<t:MessageXml xmlns:t="${T}"><t:Value Name="BackOffMilliseconds">2500</t:Value></t:MessageXml>`,
      ),
    });
    expect(failure).toMatchObject({ responseCode: 'ErrorServerBusy', backOffMs: 2500 });
    expect(ewsMailboxError(failure, 'a@x')?.details).toMatchObject({
      ewsCode: 'ErrorServerBusy',
      retryAfterMs: 2500,
    });
  });

  it('network and TLS failures have their own codes', () => {
    expect(
      ewsMailboxError(ewsFailureOf({ message: 'getaddrinfo ENOTFOUND ews.invalid' }), 'a@x')?.code,
    ).toBe('EWS_HOST_UNREACHABLE');
    expect(
      ewsMailboxError(ewsFailureOf({ message: 'connect ECONNREFUSED 10.0.0.1:443' }), 'a@x')?.code,
    ).toBe('EWS_HOST_UNREACHABLE');
    expect(
      ewsMailboxError(
        ewsFailureOf(
          Object.assign(new Error('self-signed certificate in certificate chain'), {
            code: 'SELF_SIGNED_CERT_IN_CHAIN',
          }),
        ),
        'a@x',
      )?.code,
    ).toBe('EWS_CERTIFICATE_UNTRUSTED');
    expect(ewsMailboxError(ewsFailureOf({ message: 'read ECONNRESET' }), 'a@x')?.code).toBe(
      'TRANSIENT',
    );
  });
});

describe('per-item EWS answers', () => {
  function deleteResponse(code: string): string {
    return envelope(
      `<m:DeleteItemResponse xmlns:m="${M}" xmlns:t="${T}"><m:ResponseMessages><m:DeleteItemResponseMessage ResponseClass="Error"><m:MessageText>item answer</m:MessageText><m:ResponseCode>${code}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey></m:DeleteItemResponseMessage></m:ResponseMessages></m:DeleteItemResponse>`,
    );
  }

  async function itemFailure(code: string) {
    const responses = await serviceAnswering({
      status: 200,
      body: deleteResponse(code),
    }).DeleteItems(
      [new ItemId('AAMkAD0=')],
      DeleteMode.MoveToDeletedItems,
      null as never,
      null as never,
    );
    const res = responses.Responses[0];
    expect(res.Result).toBe(ServiceResult.Error);
    return ewsFailureOf({
      Response: res,
      ErrorCode: res.ErrorCode,
      Message: res.ErrorMessage,
      ErrorDetails: res.ErrorDetails,
    });
  }

  it('ErrorItemNotFound on a delete is success: the item is already gone', async () => {
    const failure = await itemFailure('ErrorItemNotFound');
    expect(failure.responseCode).toBe('ErrorItemNotFound');
    expect(ewsItemOutcome('delete', failure)).toEqual({ outcome: 'gone' });
    expect(ewsItemOutcome('update', failure)).toEqual({ outcome: 'gone' });
    // a create has no item to be gone: it failed
    expect(ewsItemOutcome('create', failure)).toMatchObject({ outcome: 'failed' });
  });

  it('a mailbox-wide code in an item answer stops the mailbox with its coded error', async () => {
    for (const [code, ours] of [
      ['ErrorNonExistentMailbox', 'MAILBOX_NOT_FOUND'],
      ['ErrorImpersonateUserDenied', 'EWS_IMPERSONATION_DENIED'],
      ['ErrorAccessDenied', 'MAILBOX_OUT_OF_SCOPE'],
      ['ErrorServerBusy', 'THROTTLED'],
    ]) {
      const outcome = ewsItemOutcome('delete', await itemFailure(code), 'ann@contoso.test');
      expect([code, outcome.outcome, outcome.outcome === 'mailbox' && outcome.error.code]).toEqual([
        code,
        'mailbox',
        ours,
      ]);
    }
  });

  it('another item code fails that item only', async () => {
    const outcome = ewsItemOutcome('update', await itemFailure('ErrorInvalidPropertySet'));
    expect(outcome).toEqual({
      outcome: 'failed',
      error: { status: 200, code: 'ErrorInvalidPropertySet', message: 'item answer' },
    });
  });
});
