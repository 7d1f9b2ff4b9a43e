/**
 * Plays Okta's part from a synthesized okta-<env> stack: what the code declares (app-user attributes
 * with their external name and namespace, profile mappings, pushed groups) becomes the SCIM traffic
 * Okta would send (behaviour doc §4–§11), against a running receiver.
 */
export interface OktaUserProfile {
  readonly login: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  /** Okta profile attributes (`user.<name>` in mapping expressions). */
  readonly [attribute: string]: string | number | boolean;
}

interface SchemaProperty {
  index: string;
  external_name: string;
  external_namespace: string;
  type: string;
}

interface Mapping {
  id: string;
  expression: string;
}

export interface ScimCall {
  (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

export class OktaSimulator {
  private readonly properties: SchemaProperty[];
  private readonly mappings: Mapping[];
  readonly pushedGroups: string[];

  constructor(
    stack: any,
    private readonly call: ScimCall,
  ) {
    this.properties = Object.values(stack.resource?.okta_app_user_schema_property ?? {}) as SchemaProperty[];
    this.mappings = (Object.values(stack.resource?.okta_profile_mapping ?? {}) as { mappings: Mapping[] }[]).flatMap((m) => m.mappings);
    this.pushedGroups = (Object.values(stack.resource?.okta_push_group ?? {}) as { target_group_name: string }[]).map((p) => p.target_group_name);
  }

  /** The app-user profile Okta computes from the mappings (`user.x` expressions only). */
  private appProfile(user: OktaUserProfile): Record<string, unknown> {
    const profile: Record<string, unknown> = {};
    for (const mapping of this.mappings) {
      const match = /^user\.(\w+)$/.exec(mapping.expression);
      if (match && user[match[1]!] !== undefined) profile[mapping.id] = user[match[1]!];
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
  async update(id: string, user: OktaUserProfile): Promise<any> {
    const current = await this.call('GET', `/Users/${id}`);
    const put = await this.call('PUT', `/Users/${id}`, { ...current.body, ...this.scimUser(user, current.body.active) });
    if (put.status !== 200) throw new Error(`update: ${put.status} ${JSON.stringify(put.body)}`);
    return put.body;
  }

  async deactivate(id: string): Promise<any> {
    return (await this.call('PATCH', `/Users/${id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] })).body;
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
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'members', value: memberIds.map((value) => ({ value })) }],
    });
    if (patch.status !== 200) throw new Error(`group members: ${patch.status} ${JSON.stringify(patch.body)}`);
    await this.call('PATCH', `/Groups/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { id, displayName: name } }],
    });
    return id;
  }
}
