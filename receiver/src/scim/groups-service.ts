import type { GroupChange, GroupRecord, ScimStore } from '../store/types';
import type { JsonObject } from './attribute-values';
import { invalidValue, notFound } from './errors';
import { parseListRequest } from './list-request';
import { parsePatchRequest, planGroupPatch } from './patch';
import type { Projection } from './projection';
import { renderGroup } from './representation';
import { parseResourceBody } from './resource-body';
import type { SchemaCatalog } from '../schema/resource-types';
import type { RequestContext, ResourceResult } from './users-service';
import type { ServiceLimits } from './users-service';
import { listBounds, listResponse } from './users-service';
import { checkValueLimits } from './value-limits';
import { describeGroupChange } from './activity-summaries';

/** Members arrive inside the body; they are stored as memberships, never as part of the group's data. */
function splitMembers(data: JsonObject): { data: JsonObject; memberIds: string[] } {
  const { members, ...rest } = data;
  const memberIds = Array.isArray(members)
    ? members.map((m, i) => {
        const value = (m as JsonObject).value;
        if (typeof value !== 'string') throw invalidValue(`'members[${i}].value' must be a user id.`);
        return value;
      })
    : [];
  return { data: rest, memberIds };
}

/** SCIM semantics for /Groups; membership changes are set-based in the store. */
export class GroupsService {
  constructor(
    private readonly store: ScimStore,
    private readonly catalog: SchemaCatalog,
    private readonly limits: ServiceLimits,
  ) {}

  private get type() {
    return this.catalog.resourceType('Group');
  }

  async create(body: unknown, context: RequestContext): Promise<ResourceResult> {
    const { data, memberIds } = this.parse(body);
    const activity = { actor: context.actor ?? 'unknown', action: 'group.create', resourceType: 'Group' as const, summary: `Created group "${String(data.displayName)}"` };
    return this.result(await this.store.groups.create(data, memberIds, { activity }), context);
  }

  async get(id: string, projection: Projection, context: RequestContext): Promise<ResourceResult> {
    const record = await this.store.groups.get(id, { members: projection.wants('members') });
    if (!record) throw notFound(`Group ${id} not found.`);
    const result = this.result(record, context);
    return { ...result, resource: projection.apply(result.resource) };
  }

  async list(input: unknown, context: RequestContext): Promise<JsonObject> {
    const { query, projection } = parseListRequest(this.type, input, this.limits);
    const page = await this.store.groups.list({ ...query, ...listBounds(this.limits) }, { members: projection.wants('members') });
    return listResponse(
      page.totalResults,
      query.startIndex,
      page.items.map((record) => projection.apply(renderGroup(this.type, record, context.baseUrl))),
    );
  }

  /** Full replace; the member list is applied as a difference (docs/okta-scim-behavior.md §11.5). */
  async replace(id: string, body: unknown, projection: Projection, context: RequestContext): Promise<ResourceResult> {
    const { data, memberIds } = this.parse(body);
    return this.modify(id, 'group.replace', () => [{ kind: 'setData', data }, { kind: 'replaceMembers', ids: memberIds }], projection, context);
  }

  async patch(id: string, body: unknown, projection: Projection, context: RequestContext): Promise<ResourceResult> {
    const operations = parsePatchRequest(this.type, body, this.limits.filter);
    return this.modify(
      id,
      'group.patch',
      (current) => {
        const changes = planGroupPatch(this.type, current.data, operations);
        for (const change of changes) if (change.kind === 'setData' && this.limits.values) checkValueLimits(this.type, change.data, this.limits.values);
        return changes;
      },
      projection,
      context,
    );
  }

  async delete(id: string, context: RequestContext): Promise<void> {
    const deleted = await this.store.groups.delete(id, {
      ...(context.ifMatch !== undefined ? { ifVersion: context.ifMatch } : {}),
      activity: { actor: context.actor ?? 'unknown', action: 'group.delete', resourceType: 'Group', resourceId: id, summary: `Deleted group ${id}` },
    });
    if (!deleted) throw notFound(`Group ${id} not found.`);
  }

  private async modify(
    id: string,
    action: string,
    plan: (current: GroupRecord) => GroupChange[],
    projection: Projection,
    context: RequestContext,
  ): Promise<ResourceResult> {
    let planned: GroupChange[] = [];
    const record = await this.store.groups.modify(id, (current) => (planned = plan(current)), {
      members: projection.wants('members'),
      ...(context.ifMatch !== undefined ? { ifVersion: context.ifMatch } : {}),
      describe: (before, change) => {
        const setData = planned.find((c) => c.kind === 'setData');
        return {
          actor: context.actor ?? 'unknown',
          action,
          resourceType: 'Group',
          resourceId: id,
          summary: describeGroupChange(before.data, setData?.kind === 'setData' ? setData.data : undefined, change),
        };
      },
    });
    if (!record) throw notFound(`Group ${id} not found.`);
    const result = this.result(record, context);
    return { ...result, resource: projection.apply(result.resource) };
  }

  private parse(body: unknown): { data: JsonObject; memberIds: string[] } {
    const split = splitMembers(parseResourceBody(this.type, body).data);
    if (this.limits.values) checkValueLimits(this.type, split.data, this.limits.values);
    return split;
  }

  private result(record: GroupRecord, context: RequestContext): ResourceResult {
    return { id: record.id, version: record.version, resource: renderGroup(this.type, record, context.baseUrl) };
  }
}
