import { isPlainObject, primaryElement } from '../scim/attribute-values';
import type { ReceiverLimits } from '../scim/limits';
import { DEFAULT_LIMITS } from '../scim/limits';
import type { CompareOperator, ResolvedFilter } from '../schema/query';
import type { AttributeRef, ResourceType } from '../schema/resource-types';
import { resolveAttributePath } from '../schema/resource-types';
import { ENTERPRISE_USER_SCHEMA } from '../schema/urns';
import type { BrowsePage, GroupBrowseQuery, UserBrowseQuery } from '../store/browse';
import type { AttributeValueType, GroupRef, ScimStore, UserRecord } from '../store/types';
import type { DynamicSchemaCatalog } from './custom-schema';
import { notFoundError } from './errors';
import type { InvitationView, InvitationsService } from './invitations-service';
import type { TokensService } from './tokens-service';

/** The product's label for attributes that arrive from the identity provider ("IDP") or are declared by code. */
export type AttributeLabel = 'IDP' | 'CODE';

export interface UserSummary {
  readonly id: string;
  readonly userName: unknown;
  readonly displayName: unknown;
  readonly email: unknown;
  readonly active: boolean;
  readonly enrolled: boolean;
  readonly enrolledAt?: string;
  /** The SCIM token that created the user. */
  readonly source: { readonly credentialId: string; readonly label: string } | undefined;
  readonly created: string;
  readonly lastModified: string;
}

export interface CustomAttributeValue {
  readonly name: string;
  readonly displayName: string;
  readonly type: AttributeValueType;
  readonly multiValued: boolean;
  readonly origin: 'code' | 'idp';
  readonly label: AttributeLabel;
  readonly value: unknown;
}

export interface UserDetail extends UserSummary {
  readonly groups: readonly GroupRef[];
  readonly attributes: {
    readonly core: Record<string, unknown>;
    readonly enterprise: Record<string, unknown>;
    readonly custom: readonly CustomAttributeValue[];
  };
  readonly invitations: readonly InvitationView[];
}

export interface GroupSummary {
  readonly id: string;
  readonly displayName: unknown;
  readonly externalId: unknown;
  readonly memberCount: number;
  readonly created: string;
  readonly lastModified: string;
}

/** A reference the admin queries name; the core schemas define every one, so a miss is a bug here. */
function attr(type: ResourceType, path: string): AttributeRef {
  const ref = resolveAttributePath(type, path);
  if (!ref) throw new Error(`the ${type.kind} schema has no attribute ${path}`);
  return ref;
}

const compare = (type: ResourceType, path: string, op: CompareOperator, value: string | boolean): ResolvedFilter => ({ kind: 'compare', op, attr: attr(type, path), value });

/**
 * The admin search as a resolved filter, built here rather than written as filter text and parsed back:
 * `text` is a value, never syntax, so nothing needs escaping and no filter limit applies to it.
 */
function containsAny(type: ResourceType, paths: readonly string[], text: string): ResolvedFilter {
  return { kind: 'or', filters: paths.map((path) => compare(type, path, 'co', text)) };
}

const USER_SEARCH = ['userName', 'displayName', 'emails.value', 'name.givenName', 'name.familyName'];

export const attributeLabel = (origin: 'code' | 'idp'): AttributeLabel => (origin === 'idp' ? 'IDP' : 'CODE');

/** Users and groups as admins see them (the admin API and the portal read the same model). */
export class DirectoryService {
  constructor(
    private readonly store: ScimStore,
    private readonly catalog: DynamicSchemaCatalog,
    private readonly tokens: TokensService,
    private readonly invitations: InvitationsService,
    /** The query time bound (the admin search compiles to the same filters as SCIM). */
    private readonly limits: ReceiverLimits = DEFAULT_LIMITS,
  ) {}

  private async tokenLabels(): Promise<Map<string, string>> {
    return new Map((await this.tokens.list()).map((t) => [t.id, t.label]));
  }

  private summary(user: UserRecord, labels: Map<string, string>): UserSummary {
    const email = primaryElement(user.data.emails)?.value;
    return {
      id: user.id,
      userName: user.data.userName,
      displayName: user.data.displayName,
      email,
      active: user.data.active !== false,
      enrolled: user.enrolledAt !== undefined,
      ...(user.enrolledAt ? { enrolledAt: user.enrolledAt } : {}),
      source: user.createdBy ? { credentialId: user.createdBy, label: labels.get(user.createdBy) ?? 'removed token' } : undefined,
      created: user.created,
      lastModified: user.lastModified,
    };
  }

  /** The admin API's offset listing: a search over names and e-mails (folded as any SCIM filter value), status and creator. */
  async listUsers(query: { search?: string; status?: 'active' | 'inactive'; source?: string; startIndex: number; count: number }) {
    const type = this.catalog.resourceType('User');
    const clauses: ResolvedFilter[] = [];
    if (query.search) clauses.push(containsAny(type, USER_SEARCH, query.search));
    if (query.status) clauses.push(compare(type, 'active', 'eq', query.status === 'active'));
    const filter: ResolvedFilter | undefined = clauses.length > 1 ? { kind: 'and', filters: clauses } : clauses[0];
    const page = await this.store.users.list(
      { ...(filter ? { filter } : {}), startIndex: query.startIndex, count: query.count, timeLimitMs: this.limits.queryTimeLimitMs },
      { groups: false, ...(query.source ? { createdBy: query.source } : {}) },
    );
    const labels = await this.tokenLabels();
    return { totalResults: page.totalResults, startIndex: query.startIndex, items: page.items.map((u) => this.summary(u, labels)) };
  }

  /** The portal's keyset listing (fast on any page of a large directory). */
  async browseUsers(query: UserBrowseQuery): Promise<BrowsePage<UserSummary>> {
    const page = await this.store.directory.browseUsers(query);
    const labels = await this.tokenLabels();
    return { ...page, items: page.items.map((u) => this.summary(u, labels)) };
  }

  /** The user with this userName (case-insensitive, as SCIM compares it), if any. */
  async findByUserName(userName: string): Promise<UserRecord | undefined> {
    const filter = compare(this.catalog.resourceType('User'), 'userName', 'eq', userName);
    return (await this.store.users.list({ filter, startIndex: 1, count: 1 }, { groups: false })).items[0];
  }

  async requireUser(id: string): Promise<UserRecord> {
    const user = await this.store.users.get(id, { groups: false });
    if (!user) throw notFoundError(`User ${id} not found.`);
    return user;
  }

  async user(id: string): Promise<UserDetail> {
    const user = await this.store.users.get(id, { groups: true });
    if (!user) throw notFoundError(`User ${id} not found.`);
    const urn = this.catalog.extensionUrn;
    const custom = isPlainObject(user.data[urn]) ? (user.data[urn] as Record<string, unknown>) : {};
    const declared = await this.store.attributes.list();
    const { [urn]: _custom, [ENTERPRISE_USER_SCHEMA]: enterprise, ...core } = user.data;
    return {
      ...this.summary(user, await this.tokenLabels()),
      groups: user.groups ?? [],
      attributes: {
        core,
        enterprise: isPlainObject(enterprise) ? enterprise : {},
        custom: declared.map((d) => ({
          name: d.name,
          displayName: d.displayName,
          type: d.type,
          multiValued: d.multiValued,
          origin: d.origin,
          label: attributeLabel(d.origin),
          value: custom[d.name] ?? null,
        })),
      },
      invitations: await this.invitations.list({ userId: user.id, limit: 20 }),
    };
  }

  /** The admin API's offset listing of groups with member counts. */
  async listGroups(query: { search?: string; startIndex: number; count: number }) {
    const filter = query.search ? compare(this.catalog.resourceType('Group'), 'displayName', 'co', query.search) : undefined;
    const page = await this.store.groups.list(
      { ...(filter ? { filter } : {}), startIndex: query.startIndex, count: query.count, timeLimitMs: this.limits.queryTimeLimitMs },
      { members: false },
    );
    const counts = await this.store.groups.memberCounts(page.items.map((g) => g.id));
    return {
      totalResults: page.totalResults,
      startIndex: query.startIndex,
      items: page.items.map(
        (g): GroupSummary => ({
          id: g.id,
          displayName: g.data.displayName,
          externalId: g.data.externalId,
          memberCount: counts.get(g.id) ?? 0,
          created: g.created,
          lastModified: g.lastModified,
        }),
      ),
    };
  }

  async browseGroups(query: GroupBrowseQuery): Promise<BrowsePage<GroupSummary>> {
    const page = await this.store.directory.browseGroups(query);
    return {
      ...page,
      items: page.items.map((g) => ({
        id: g.id,
        displayName: g.data.displayName,
        externalId: g.data.externalId,
        memberCount: g.memberCount,
        created: g.created,
        lastModified: g.lastModified,
      })),
    };
  }

  async group(id: string): Promise<GroupSummary> {
    const group = await this.store.groups.get(id, { members: false });
    if (!group) throw notFoundError(`Group ${id} not found.`);
    const counts = await this.store.groups.memberCounts([id]);
    return {
      id: group.id,
      displayName: group.data.displayName,
      externalId: group.data.externalId,
      memberCount: counts.get(id) ?? 0,
      created: group.created,
      lastModified: group.lastModified,
    };
  }

  async members(groupId: string, startIndex: number, count: number) {
    const page = await this.store.groups.members(groupId, startIndex, count);
    if (!page) throw notFoundError(`Group ${groupId} not found.`);
    return { totalResults: page.totalResults, startIndex, items: page.items.map((m) => ({ id: m.value, display: m.display })) };
  }
}
