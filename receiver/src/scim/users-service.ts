import type { ScimStore, UserRecord } from '../store/types';
import type { JsonObject } from './attribute-values';
import { notFound } from './errors';
import type { PagingLimits } from './list-request';
import type { ValueLimits } from './limits';
import { checkValueLimits } from './value-limits';
import { parseListRequest } from './list-request';
import { applyResourcePatch, parsePatchRequest } from './patch';
import type { Projection } from './projection';
import { renderUser } from './representation';
import type { ParsedResource, UndeclaredAttribute, UnknownUrn } from './resource-body';
import { parseResourceBody } from './resource-body';
import { describeUserChange } from './activity-summaries';
import type { SchemaCatalog } from '../schema/resource-types';
import { LIST_RESPONSE } from '../schema/urns';

export interface ResourceResult {
  readonly resource: JsonObject;
  readonly version: number;
  readonly id: string;
}

export interface RequestContext {
  /** `https://host/scim/v2`, for `meta.location` and `$ref`. */
  readonly baseUrl: string;
  readonly ifMatch?: number;
  /** The credential behind the request, for the activity log. */
  readonly actor?: string;
}

/** Provisioning decisions and reports that belong to the receiver's settings, not to SCIM itself. */
export interface ProvisioningPolicy {
  /**
   * The address to invite a newly created user at, a refused address (recorded as a failed invitation,
   * never sent), or undefined for no automatic invitation.
   */
  invitationAddress(data: JsonObject): { email: string } | { refused: { email: string; reason: string } } | undefined;
  /** Attributes sent under a known extension that it does not declare (ignored, never fatal). */
  reportUndeclared(undeclared: readonly UndeclaredAttribute[], userName: string, actor: string): void;
  /** URNs matching no schema, listed in `schemas` or sent as keys (accepted, values ignored). */
  reportUnknownUrns(urns: readonly UnknownUrn[], userName: string, actor: string): void;
  /** An automatic invitation was committed with a new user. */
  invitationQueued(): void;
}

export const NO_POLICY: ProvisioningPolicy = {
  invitationAddress: () => undefined,
  reportUndeclared: () => undefined,
  reportUnknownUrns: () => undefined,
  invitationQueued: () => undefined,
};

/** What the SCIM services bound: paging and filters, value sizes, list bytes, query time. */
export interface ServiceLimits extends PagingLimits {
  readonly values?: ValueLimits;
  readonly maxResponseBytes?: number;
  readonly queryTimeLimitMs?: number;
}

/** The store-level bounds of a list query. */
export function listBounds(limits: ServiceLimits): { maxBytes?: number; timeLimitMs?: number } {
  return {
    ...(limits.maxResponseBytes !== undefined ? { maxBytes: limits.maxResponseBytes } : {}),
    ...(limits.queryTimeLimitMs !== undefined ? { timeLimitMs: limits.queryTimeLimitMs } : {}),
  };
}

export function listResponse(totalResults: number, startIndex: number, resources: JsonObject[]): JsonObject {
  return { schemas: [LIST_RESPONSE], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}

/** SCIM semantics for /Users, independent of HTTP and of the storage engine. */
export class UsersService {
  constructor(
    private readonly store: ScimStore,
    private readonly catalog: SchemaCatalog,
    private readonly limits: ServiceLimits,
    private readonly policy: ProvisioningPolicy = NO_POLICY,
  ) {}

  private get type() {
    return this.catalog.resourceType('User');
  }

  async create(body: unknown, context: RequestContext): Promise<ResourceResult> {
    const parsed = this.parse(body);
    // Okta always sends active; when a client does not, a new user is active (never the reverse).
    const data: JsonObject = { ...parsed.data, active: parsed.data.active ?? true };
    const actor = context.actor ?? 'unknown';
    const target = data.active === true ? this.policy.invitationAddress(data) : undefined;
    const inviteEmail = target && 'email' in target ? target.email : undefined;
    const record = await this.store.users.create(data, {
      createdBy: actor,
      activity: { actor, action: 'user.create', resourceType: 'User', summary: `Created ${String(data.userName)}${data.active === false ? ' (inactive)' : ''}` },
      ...(inviteEmail ? { inviteEmail } : {}),
      ...(target && 'refused' in target ? { refusedInvite: target.refused } : {}),
    });
    if (inviteEmail) this.policy.invitationQueued();
    this.report(parsed, data.userName, actor);
    return this.result({ ...record, groups: [] }, context);
  }

  async get(id: string, projection: Projection, context: RequestContext): Promise<ResourceResult> {
    const record = await this.store.users.get(id, { groups: projection.wants('groups') });
    if (!record) throw notFound(`User ${id} not found.`);
    const result = this.result(record, context);
    return { ...result, resource: projection.apply(result.resource) };
  }

  async list(input: unknown, context: RequestContext): Promise<JsonObject> {
    const { query, projection } = parseListRequest(this.type, input, this.limits);
    const page = await this.store.users.list({ ...query, ...listBounds(this.limits) }, { groups: projection.wants('groups') });
    const resources = page.items.map((record) => projection.apply(renderUser(this.type, record, context.baseUrl)));
    return listResponse(page.totalResults, query.startIndex, resources);
  }

  /** Full replace of writable attributes; a missing `active` keeps the current status (docs/okta-scim-behavior.md §6). */
  async replace(id: string, body: unknown, context: RequestContext): Promise<ResourceResult> {
    const parsed = this.parse(body);
    const record = await this.write(id, context, 'user.replace', (current) => ({
      ...parsed.data,
      active: parsed.data.active ?? current.data.active ?? true,
    }));
    this.report(parsed, record.data.userName, context.actor ?? 'unknown');
    return this.result(record, context);
  }

  async patch(id: string, body: unknown, context: RequestContext): Promise<ResourceResult> {
    const operations = parsePatchRequest(this.type, body, this.limits.filter);
    const undeclared: UndeclaredAttribute[] = [];
    const record = await this.write(id, context, 'user.patch', (current) => {
      const data = applyResourcePatch(this.type, current.data, operations, (urn, name) => undeclared.push({ urn, name }));
      if (this.limits.values) checkValueLimits(this.type, data, this.limits.values);
      return data;
    });
    this.report({ unknownUrns: [], undeclared }, record.data.userName, context.actor ?? 'unknown');
    return this.result(record, context);
  }

  async delete(id: string, context: RequestContext): Promise<void> {
    const deleted = await this.store.users.delete(id, {
      ...(context.ifMatch !== undefined ? { ifVersion: context.ifMatch } : {}),
      activity: { actor: context.actor ?? 'unknown', action: 'user.delete', resourceType: 'User', resourceId: id, summary: `Deleted user ${id}` },
    });
    if (!deleted) throw notFound(`User ${id} not found.`);
  }

  private async write(id: string, context: RequestContext, action: string, mutate: (current: UserRecord) => JsonObject): Promise<UserRecord> {
    const record = await this.store.users.update(id, mutate, {
      groups: true,
      ...(context.ifMatch !== undefined ? { ifVersion: context.ifMatch } : {}),
      describe: (before, after) => ({
        actor: context.actor ?? 'unknown',
        action,
        resourceType: 'User',
        resourceId: id,
        summary: describeUserChange(before.data, after),
      }),
    });
    if (!record) throw notFound(`User ${id} not found.`);
    return record;
  }

  private parse(body: unknown): ParsedResource {
    const parsed = parseResourceBody(this.type, body);
    if (this.limits.values) checkValueLimits(this.type, parsed.data, this.limits.values);
    return parsed;
  }

  private result(record: UserRecord, context: RequestContext): ResourceResult {
    return { id: record.id, version: record.version, resource: renderUser(this.type, record, context.baseUrl) };
  }

  private report(parsed: Pick<ParsedResource, 'unknownUrns' | 'undeclared'>, userName: unknown, actor: string): void {
    if (parsed.unknownUrns.length > 0) this.policy.reportUnknownUrns(parsed.unknownUrns, String(userName), actor);
    if (parsed.undeclared.length > 0) this.policy.reportUndeclared(parsed.undeclared, String(userName), actor);
  }
}
