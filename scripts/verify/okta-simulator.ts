/**
 * Plays Okta's part from a synthesized okta-<env> stack: what the code declares (app-user attributes
 * with their external name and namespace, profile mappings, pushed groups) becomes the SCIM traffic
 * Okta would send (docs/okta-scim-behavior.md §4–§11), against a running receiver. Used by `npm run verify` and
 * by test/e2e, so that the command and the tests replay the same traffic.
 */
export interface OktaUserProfile {
  readonly login: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  /** Okta profile attributes (`user.<name>` in mapping expressions). */
  readonly [attribute: string]: string | number | boolean;
}

export interface SchemaProperty {
  readonly index: string;
  readonly external_name: string;
  readonly external_namespace: string;
  readonly type: string;
}

interface Mapping {
  id: string;
  expression: string;
}

/** SCIM bodies are arbitrary JSON; callers check the shape they rely on. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ScimBody = any;

export interface ScimResponse {
  readonly status: number;
  readonly body: ScimBody;
}

export interface ScimCall {
  (method: string, path: string, body?: unknown): Promise<ScimResponse>;
}

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** What the simulator reads from a synthesized okta-<env> stack. */
export interface OktaStackJson {
  readonly resource?: Record<string, Record<string, unknown>>;
}

export class OktaSimulator {
  readonly properties: readonly SchemaProperty[];
  private readonly mappings: Mapping[];
  readonly pushedGroups: string[];

  constructor(
    stack: OktaStackJson,
    private readonly call: ScimCall,
  ) {
    this.properties = Object.values(stack.resource?.okta_app_user_schema_property ?? {}) as SchemaProperty[];
    this.mappings = (Object.values(stack.resource?.okta_profile_mapping ?? {}) as { mappings: Mapping[] }[]).flatMap((m) => m.mappings);
    this.pushedGroups = (Object.values(stack.resource?.okta_push_group ?? {}) as { target_group_name: string }[]).map((p) => p.target_group_name);
  }

  /** The Okta profile attribute a property's value comes from (`user.x` of its mapping), else the property itself (set on the assignment). */
  sourceOf(property: SchemaProperty): string {
    const mapping = this.mappings.find((m) => m.id === property.index);
    return /^user\.(\w+)$/.exec(mapping?.expression ?? '')?.[1] ?? property.index;
  }

  /** The app-user profile Okta computes: mapped values (`user.x` expressions), or values set on the assignment. */
  private appProfile(user: OktaUserProfile): Record<string, unknown> {
    const profile: Record<string, unknown> = {};
    for (const property of this.properties) {
      const value = user[this.sourceOf(property)];
      if (value !== undefined) profile[property.index] = value;
    }
    return profile;
  }

  /** The SCIM representation Okta sends: core attributes plus each mapped attribute under its namespace. */
  scimUser(user: OktaUserProfile, active = true): Record<string, unknown> {
    const body: Record<string, unknown> = {
      schemas: [CORE],
      userName: user.login,
      name: { givenName: user.firstName, familyName: user.lastName },
      emails: [{ primary: true, value: user.email, type: 'work' }],
      displayName: `${user.firstName} ${user.lastName}`,
      locale: 'en-US',
      externalId: `00u${user.login.replace(/\W/g, '').slice(0, 17)}`,
      groups: [],
      password: 'placeholder-okta-sends',
      active,
    };
    const profile = this.appProfile(user);
    for (const property of this.properties) {
      const value = profile[property.index];
      if (value === undefined) continue;
      const container = (body[property.external_namespace] ??= {}) as Record<string, unknown>;
      container[property.external_name] = value;
      if (!(body.schemas as string[]).includes(property.external_namespace)) (body.schemas as string[]).push(property.external_namespace);
    }
    return body;
  }

  /** Assignment: lookup by userName, then create (or link and update when found). Returns the SCIM id. */
  async assign(user: OktaUserProfile): Promise<string> {
    const lookup = await this.call('GET', `/Users?filter=${encodeURIComponent(`userName eq "${user.login}"`)}&startIndex=1&count=100`);
    if (lookup.status !== 200) throw new Error(`lookup: ${lookup.status}`);
    if (lookup.body.totalResults === 1) {
      const id = lookup.body.Resources[0].id as string;
      await this.update(id, user);
      return id;
    }
    const created = await this.call('POST', '/Users', this.scimUser(user));
    if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.body)}`);
    return created.body.id as string;
  }

  /** Profile push: GET, overwrite what Okta manages, PUT the whole resource back. */
  async update(id: string, user: OktaUserProfile): Promise<ScimBody> {
    const current = await this.call('GET', `/Users/${id}`);
    const put = await this.call('PUT', `/Users/${id}`, { ...current.body, ...this.scimUser(user, current.body.active) });
    if (put.status !== 200) throw new Error(`update: ${put.status} ${JSON.stringify(put.body)}`);
    return put.body;
  }

  async deactivate(id: string): Promise<ScimBody> {
    return this.setActive(id, false);
  }

  /** Deactivation / reactivation (OIN templates: PATCH, docs/okta-scim-behavior.md §7–§8). */
  async setActive(id: string, active: boolean): Promise<ScimBody> {
    const patch = await this.call('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active } }] });
    if (patch.status !== 200) throw new Error(`${active ? 'reactivate' : 'deactivate'}: ${patch.status} ${JSON.stringify(patch.body)}`);
    return patch.body;
  }

  /** Group rename (OIN: PATCH replace without path, carrying the id, docs/okta-scim-behavior.md §11.3). */
  async renameGroup(id: string, displayName: string): Promise<ScimBody> {
    const patch = await this.call('PATCH', `/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id, displayName } }] });
    if (patch.status !== 200 && patch.status !== 204) throw new Error(`group rename: ${patch.status} ${JSON.stringify(patch.body)}`);
    return (await this.call('GET', `/Groups/${id}`)).body;
  }

  /** Membership removal as Okta sends it (docs/okta-scim-behavior.md §11.4). */
  async removeMember(groupId: string, userId: string): Promise<ScimBody> {
    const patch = await this.call('PATCH', `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${userId}"]` }] });
    if (patch.status !== 200 && patch.status !== 204) throw new Error(`group member removal: ${patch.status} ${JSON.stringify(patch.body)}`);
    return (await this.call('GET', `/Groups/${groupId}`)).body;
  }

  /** Group push: lookup by name, create, then the membership PATCH and the rename "touch". */
  async pushGroup(name: string, memberIds: readonly string[]): Promise<string> {
    const lookup = await this.call('GET', `/Groups?filter=${encodeURIComponent(`displayName eq "${name}"`)}&startIndex=1&count=100`);
    let id: string = lookup.body.Resources[0]?.id;
    if (!id) {
      const created = await this.call('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: name, members: [] });
      if (created.status !== 201) throw new Error(`group create: ${created.status}`);
      id = created.body.id;
    }
    const patch = await this.call('PATCH', `/Groups/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: memberIds.map((value) => ({ value })) }],
    });
    if (patch.status !== 200) throw new Error(`group members: ${patch.status} ${JSON.stringify(patch.body)}`);
    await this.call('PATCH', `/Groups/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { id, displayName: name } }],
    });
    return id;
  }
}
