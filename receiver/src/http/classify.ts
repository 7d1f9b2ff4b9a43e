import type { FastifyRequest } from 'fastify';
import { AdminError } from '../admin/errors';
import type { ScimType } from '../scim/errors';
import { ScimError } from '../scim/errors';
import {
  QueryBudgetExceededError,
  StoreUnavailableError,
  UniqueViolationError,
  UnknownMembersError,
  UnsupportedQueryError,
  VersionMismatchError,
} from '../store/errors';

/**
 * What an error means to an HTTP client, whichever surface answers it: SCIM renders it as an RFC 7644
 * body, the admin API as `{ error: { message, field } }`, the portal as a page.
 */
export interface Fault {
  readonly status: number;
  readonly detail: string;
  readonly scimType?: ScimType;
  /** The part of the request at fault: a field path, or `(body)` when the body cannot be read. */
  readonly field?: string;
  /** More about a refusal (the admin API's validation issues). */
  readonly details?: Record<string, unknown>;
  /** The condition is transient: retry after this many seconds (Retry-After). */
  readonly retryAfterSeconds?: number;
  /** Not a refusal but a fault of the receiver: the client learns only the request id. */
  readonly internal?: true;
}

export interface ClassifyContext {
  /** The body limit of the surface that parsed the request, for the 413 detail. */
  readonly bodyLimitBytes: number;
}

const BODY = '(body)';

function uniqueness(error: UniqueViolationError): Fault {
  const what = error.field === 'userName' ? 'A user with userName' : error.field === 'displayName' ? 'A group with displayName' : 'Something named';
  return { status: 409, scimType: 'uniqueness', detail: `${what} "${error.value}" already exists.`, field: error.field };
}

function unknownMembers(error: UnknownMembersError): Fault {
  const shown = error.ids.slice(0, 10).join(', ');
  const more = error.ids.length > 10 ? ` and ${error.ids.length - 10} more` : '';
  return { status: 400, scimType: 'invalidValue', detail: `members: no user has id ${shown}${more}.`, field: 'members' };
}

/** The errors the store raises (store/errors.ts): what each means to a client. */
function storeFault(error: unknown): Fault | undefined {
  if (error instanceof UniqueViolationError) return uniqueness(error);
  if (error instanceof VersionMismatchError) return { status: 412, detail: `The resource changed; its current version is W/"${error.current}".` };
  if (error instanceof UnknownMembersError) return unknownMembers(error);
  if (error instanceof UnsupportedQueryError) return { status: 400, scimType: 'invalidFilter', detail: error.detail };
  if (error instanceof QueryBudgetExceededError) {
    return {
      status: 400,
      scimType: 'tooMany',
      detail: `The query took longer than ${error.limitMs} ms (SCIM_QUERY_TIME_LIMIT_MS) and was stopped; narrow the filter or search, e.g. userName eq "…".`,
    };
  }
  // Unreachable, restarting, a lock held elsewhere: transient, so say when to retry.
  if (error instanceof StoreUnavailableError) {
    return { status: 503, detail: 'The database is busy; retry after the number of seconds in Retry-After.', retryAfterSeconds: 1 };
  }
  return undefined;
}

/**
 * Fastify's refusals of a URL, which happen before any route (its `frameworkErrors` hook): a path segment
 * over maxParamLength, or bad percent-encoding and raw non-ASCII bytes.
 */
export function urlFault(error: { readonly code?: string }): Fault {
  return error.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? { status: 414, detail: 'A path segment of the request URL is too long.' }
    : { status: 400, scimType: 'invalidSyntax', detail: 'The request URL is not valid: use UTF-8 percent-encoding for non-ASCII characters.' };
}

/** Fastify's refusals of a request (URL, body parsing, limits, rate limiting) and other framework 4xx errors. */
function frameworkFault(error: unknown, context: ClassifyContext): Fault | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode, message } = error as { code?: unknown; statusCode?: unknown; message?: unknown };
  switch (code) {
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return urlFault({ code });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, detail: `The request body exceeds the limit of ${context.bodyLimitBytes} bytes.`, field: BODY };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, detail: 'Send application/scim+json or application/json.', field: BODY };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, scimType: 'invalidSyntax', detail: 'The Content-Length does not match the body.', field: BODY };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, scimType: 'invalidSyntax', detail: 'The request body is empty.', field: BODY };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, scimType: 'invalidSyntax', detail: 'The request body is not valid JSON.', field: BODY };
  }
  const text = typeof message === 'string' ? message : '';
  if (error instanceof SyntaxError || (statusCode === 400 && /JSON/i.test(text))) {
    return { status: 400, scimType: 'invalidSyntax', detail: `The request body is not valid JSON: ${text}`, field: BODY };
  }
  if (statusCode === 429) return { status: 429, detail: 'Too many requests; retry after the number of seconds in Retry-After.' };
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) return { status: statusCode, detail: text };
  return undefined;
}

/**
 * The one mapping of errors to HTTP, for every surface: the services' refusals (ScimError, AdminError),
 * the store's errors and the framework's. Undefined when `error` is none of them: a real fault (500).
 */
export function classify(error: unknown, context: ClassifyContext): Fault | undefined {
  if (error instanceof ScimError) return { status: error.status, detail: error.detail, ...(error.scimType ? { scimType: error.scimType } : {}) };
  if (error instanceof AdminError) {
    return { status: error.status, detail: error.message, ...(error.field ? { field: error.field } : {}), ...(error.details ? { details: error.details } : {}) };
  }
  return storeFault(error) ?? frameworkFault(error, context);
}

/**
 * classify, then log: a refusal at info (a transient 5xx at warn), anything unclassified at error with its
 * stack, answered as a 500 that names only the request id.
 */
export function faultOf(error: unknown, request: FastifyRequest, context: ClassifyContext): Fault {
  const fault = classify(error, context);
  if (!fault) {
    request.log.error({ err: error }, 'unhandled error');
    return { status: 500, detail: `Internal server error (request id ${request.id}).`, internal: true };
  }
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (fault.status >= 500) request.log.warn({ err: error, status: fault.status }, fault.detail);
  else request.log.info({ ...(typeof code === 'string' ? { code } : {}), status: fault.status }, fault.detail);
  return fault;
}
