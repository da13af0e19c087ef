/**
 * `POST /users/{id}/translateExchangeIds`: converts Outlook item ids between the REST (Graph)
 * and EWS formats (https://learn.microsoft.com/graph/api/user-translateexchangeids).
 * Delegated permissions only: the documentation lists application permissions as "Not supported".
 */
import { GraphError } from './errors';
import { fromEwsId, toEwsId } from '../core/ids';
import { asObject, checkKeys } from './items';
import { ok, type Ctx, type GRes, type Route } from './types';

const FORMATS = new Set(['entryId', 'ewsId', 'immutableEntryId', 'restId', 'restImmutableEntryId']);
/** The formats the simulator models; the others answer 400 (_sim choice_). */
const MODELLED = new Set(['ewsId', 'restId']);

function translate(ctx: Ctx): GRes {
  if (ctx.auth.appOnly)
    throw new GraphError(
      403,
      'ErrorAccessDenied',
      'Access is denied. Check credentials and try again.',
    );
  const b = asObject(ctx.json());
  checkKeys(
    b,
    new Set(['inputIds', 'sourceIdType', 'targetIdType']),
    'microsoft.graph.translateExchangeIds',
  );
  const { inputIds, sourceIdType, targetIdType } = b;
  if (!Array.isArray(inputIds) || inputIds.some((x) => typeof x !== 'string'))
    throw new GraphError(400, 'ErrorInvalidParameter', "The parameter 'InputIds' is invalid.");
  if (inputIds.length > 1000)
    throw new GraphError(
      400,
      'ErrorInvalidParameter',
      'The number of ids in InputIds exceeds the maximum of 1000.',
    );
  for (const [name, v] of [
    ['SourceIdType', sourceIdType],
    ['TargetIdType', targetIdType],
  ] as const) {
    if (typeof v !== 'string' || !FORMATS.has(v))
      throw new GraphError(
        400,
        'RequestBodyRead',
        `The value '${String(v)}' is not valid for the parameter '${name}' of type 'microsoft.graph.exchangeIdFormat'.`,
      );
    if (!MODELLED.has(v))
      throw new GraphError(
        400,
        'ErrorInvalidParameter',
        `The simulator models only restId and ewsId, not '${v}'.`,
      );
  }
  const value = (inputIds as string[]).map((sourceId) => {
    const rest =
      sourceIdType === 'restId' ? (toEwsId(sourceId) ? sourceId : undefined) : fromEwsId(sourceId);
    if (!rest)
      return {
        sourceId,
        errorDetails: { code: 'ErrorInvalidIdMalformed', message: 'Id is malformed.' },
      };
    return { sourceId, targetId: targetIdType === 'restId' ? rest : toEwsId(rest)! };
  });
  return ok({
    '@odata.context': `${ctx.base}/$metadata#Collection(microsoft.graph.convertIdResult)`,
    value,
  });
}

export function translateIdRoutes(): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/users/{user}/translateExchangeIds',
      op: 'users.translateExchangeIds',
      scope: 'mailbox',
      perms: [
        'User.ReadBasic.All',
        'User.Read',
        'User.Read.All',
        'User.ReadWrite',
        'User.ReadWrite.All',
      ],
      handler: translate,
    },
  ];
}
