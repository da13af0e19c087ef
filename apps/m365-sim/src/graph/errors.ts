/** Graph error responses: {error:{code,message,innerError:{date,request-id,client-request-id}}} */
export class GraphError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const E = {
  badRequest: (message: string, code = 'BadRequest') => new GraphError(400, code, message),
  invalidJson: () =>
    new GraphError(
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    ),
  malformedId: () => new GraphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.'),
  itemNotFound: () =>
    new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.'),
  userNotFound: (id: string) =>
    new GraphError(
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    ),
  mailboxUserInvalid: (id: string) =>
    new GraphError(404, 'ErrorInvalidUser', `The requested user '${id}' is invalid.`),
  noMailbox: () =>
    new GraphError(
      404,
      'MailboxNotEnabledForRESTAPI',
      'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
    ),
  onPremMailbox: () =>
    new GraphError(
      404,
      'MailboxNotEnabledForRESTAPI',
      'REST API is not yet supported for this mailbox.',
    ),
  unsupportedQuery: (message = 'Unsupported Query.') =>
    new GraphError(400, 'Request_UnsupportedQuery', message),
  syncStateNotFound: () =>
    new GraphError(
      410,
      'syncStateNotFound',
      'The sync state generation is not found. Please do a full sync without a delta token.',
    ),
  unknownProperty: (prop: string, type: string) =>
    new GraphError(
      400,
      'RequestBodyRead',
      `The property '${prop}' does not exist on type '${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
    ),
};

export function errorBody(
  code: string,
  message: string,
  requestId: string,
  clientRequestId: string,
): Record<string, unknown> {
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().slice(0, 19),
        'request-id': requestId,
        'client-request-id': clientRequestId,
      },
    },
  };
}
