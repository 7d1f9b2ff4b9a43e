import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ScimError, errorBody } from '../scim/errors';
import { isStoreUnavailable } from '../store/errors';
import { sendScim } from './reply';

interface HttpFault {
  status: number;
  detail: string;
  scimType?: 'invalidSyntax';
}

/** Maps framework errors (body parsing, limits, rate limiting) to the status a SCIM client expects. */
function classify(error: FastifyError, bodyLimit: number): HttpFault | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, detail: `The request body exceeds the limit of ${bodyLimit} bytes.` };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, detail: 'Send application/scim+json or application/json.' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, detail: 'The Content-Length does not match the body.', scimType: 'invalidSyntax' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, detail: 'The request body is empty.', scimType: 'invalidSyntax' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, detail: 'The request body is not valid JSON.', scimType: 'invalidSyntax' };
  }
  if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
    return { status: 400, detail: `The request body is not valid JSON: ${error.message}`, scimType: 'invalidSyntax' };
  }
  if (error.statusCode === 429) return { status: 429, detail: 'Too many requests; retry after the number of seconds in Retry-After.' };
  // Another process holds the database lock past the busy timeout: transient, so say when to retry.
  if (isStoreUnavailable(error)) return { status: 503, detail: 'The database is busy; retry after the number of seconds in Retry-After.' };
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, detail: error.message };
  }
  return undefined;
}

export function installErrorHandler(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ScimError) {
      if (error.status >= 500) request.log.error({ err: error }, 'SCIM fault');
      return sendScim(reply, error.status, error.toBody());
    }
    const fault = classify(error, bodyLimit);
    if (fault) {
      if (fault.status === 503) reply.header('retry-after', '1');
      request.log[fault.status >= 500 ? 'warn' : 'info']({ code: error.code, status: fault.status }, fault.detail);
      return sendScim(reply, fault.status, errorBody(fault.status, fault.detail, fault.scimType));
    }
    // A real fault: full detail in the log, only the request id to the client.
    request.log.error({ err: error }, 'unhandled error');
    return sendScim(reply, 500, errorBody(500, `Internal server error (request id ${request.id}).`));
  });
}
