/** Each construct on its own: resources and key properties, defaults, every validation error. */
import './support/jest-matchers';
import type { Construct} from '../../constructs/framework';
import { TerraformStack, TerraformVariable, Testing } from '../../constructs/framework';
import { Assignments } from '../../constructs/okta/assignments';
import {
  AppAutoLogin,
  AppConnection,
  AppFeatures,
  AppGroupAssignment,
  AppSaml,
  AppUser,
  AppUserSchemaProperty,
  DataOktaGroup,
  DataOktaUser,
  Group,
  ProfileMapping,
  PushGroup,
} from '../../constructs/okta/bindings';
import { Guardrails } from '../../constructs/guardrails/guardrails';
import { GroupPush } from '../../constructs/okta/group-push';
import { OktaGroups, groupFromId } from '../../constructs/okta/groups';
import { ENTERPRISE_EXTENSION_URN, ProfileAttributes } from '../../constructs/okta/profile-attributes';
import { ProfileMappings } from '../../constructs/okta/profile-mappings';
import { ProvisioningConnection } from '../../constructs/okta/provisioning-connection';
import type { IScimApp } from '../../constructs/okta/scim-app';
import { ScimApp } from '../../constructs/okta/scim-app';
import { PropsValidationError } from '../../constructs/validation';

const URN = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';

function synth(build: (scope: Construct) => void): string {
  return Testing.synthScope((scope) => build(scope));
}

function parsed(build: (scope: Construct) => void): any {
  return JSON.parse(synth(build));
}

const APP_ID = '0oa1b2c3d4e5f6g7h8i9';

/** An existing app, provisioning not (yet) enabled: its gate is closed. */
function existingApp(scope: Construct): IScimApp {
  return ScimApp.fromAppId(scope, 'App', APP_ID);
}

/** An existing app whose provisioning is confirmed in console mode: the gate is open, with nothing to wait for. */
function provisionedApp(scope: Construct): IScimApp {
  const app = existingApp(scope);
  const token = new TerraformVariable(scope, 'scim_token', { type: 'string', sensitive: true }).stringValue;
  new ProvisioningConnection(scope, 'Provisioning', { app, scimBaseUrl: 'https://scim.example.com/scim/v2', token, confirmed: true });
  return app;
}

function problems(build: () => void): string[] {
  try {
    build();
  } catch (error) {
    if (error instanceof PropsValidationError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('ScimApp', () => {
  it('creates the OAuth Bearer Token test app from the catalog by default (okta_app_saml)', () => {
    let app!: ScimApp;
    const out = synth((s) => (app = new ScimApp(s, 'App', { environment: 'dev', label: 'Portal (dev)' })));
    expect(out).toHaveResourceWithProperties(AppSaml, { label: 'Portal (dev)', preconfigured_app: 'scim2testapp', status: 'ACTIVE' });
    expect(out).not.toHaveResource(AppAutoLogin);
    expect(app.appId).toMatch(/^\$\{TfToken\[/);
    expect(app.catalogName).toBe('scim2testapp');
  });

  it('creates the Header Auth variant as okta_app_auto_login', () => {
    const out = synth((s) => new ScimApp(s, 'App', { environment: 'dev', label: 'Portal dev', catalogName: 'scim2headerauth' }));
    expect(out).toHaveResourceWithProperties(AppAutoLogin, { preconfigured_app: 'scim2headerauth' });
  });

  it('references an existing app by id without creating one (ScimApp.fromAppId), its provisioning gate closed', () => {
    let app!: IScimApp;
    const out = parsed((s) => (app = ScimApp.fromAppId(s, 'App', APP_ID)));
    expect(out.resource).toBeUndefined();
    expect(app.appId).toBe(APP_ID);
    expect(app.provisioning.isOpen).toBe(false);
  });

  it('reports every invalid prop at once, and an app id that is not one', () => {
    const stack = new TerraformStack(Testing.app(), 'x');
    expect(problems(() => new ScimApp(stack, 'App', { environment: 'prod', label: '', catalogName: 'nope' as never }))).toEqual([
      'label: expected 1 to 100 characters',
      'label: must contain the environment name "prod"',
      'catalogName: expected one of scim2testapp, scim2headerauth',
    ]);
    expect(problems(() => ScimApp.fromAppId(stack, 'Existing', 'abc'))).toEqual(['appId: expected an Okta app id (0oa…)']);
  });
});

describe('ProvisioningConnection', () => {
  const token = (s: Construct) => new TerraformVariable(s, 'token', { type: 'string', sensitive: true }).stringValue;

  it('console mode (default) declares no Okta resource, only outputs: base URL, sensitive token, runbook', () => {
    const out = parsed((s) => new ProvisioningConnection(s, 'P', { app: existingApp(s), scimBaseUrl: 'https://scim.example.com/scim/v2', token: token(s) }));
    expect(out.resource).toBeUndefined();
    const outputs = out.output;
    expect(Object.values(outputs).find((o: any) => o.value === 'https://scim.example.com/scim/v2')).toBeDefined();
    const tokenOutput = Object.entries(outputs).find(([k]) => k.includes('scim_token'))![1] as any;
    expect(tokenOutput).toMatchObject({ sensitive: true, value: '${var.token}' });
    const runbook = Object.entries(outputs).find(([k]) => k.includes('provisioning_runbook'))![1] as any;
    expect(runbook.sensitive).toBeUndefined();
    expect(runbook.value).toContain('Create Users, Update User Attributes, Deactivate Users');
    expect(runbook.value).toContain('https://scim.example.com/scim/v2');
    expect(runbook.value).not.toContain('var.token');
  });

  it('api mode (for an app whose connection the API configures) declares the connection with the token reference and the To-App features', () => {
    const out = synth(
      (s) =>
        new ProvisioningConnection(s, 'P', {
          app: existingApp(s),
          scimBaseUrl: 'https://scim.example.com/scim/v2',
          token: token(s),
          mode: 'api',
          confirmed: true,
          appSupportsConnectionApi: true,
          deactivate: false,
        }),
    );
    expect(out).toHaveResourceWithProperties(AppConnection, {
      id: APP_ID,
      action: 'activate',
      base_url: 'https://scim.example.com/scim/v2',
      profile: { auth_scheme: 'TOKEN', token: '${var.token}' },
    });
    expect(out).toHaveResourceWithProperties(AppFeatures, {
      app_id: APP_ID,
      name: 'USER_PROVISIONING',
      status: 'ENABLED',
      capabilities: {
        create: { lifecycle_create: { status: 'ENABLED' } },
        update: { profile: { status: 'ENABLED' }, lifecycle_deactivate: { status: 'DISABLED' } },
      },
    });
  });

  it('refuses api mode for the SCIM test apps (saying why and what to do), before provisioning is confirmed, and plain http', () => {
    const stack = new TerraformStack(Testing.app(), 'x');
    expect(problems(() => new ProvisioningConnection(stack, 'P', { app: existingApp(stack), scimBaseUrl: 'http://x/scim/v2', token: 't', mode: 'api' }))).toEqual([
      expect.stringMatching(/^mode: Okta's Connections and Features APIs configure only a few OIN apps .* status UNKNOWN, nothing is configured .* Use mode 'console' and follow the provisioning_runbook output/),
      'confirmed: api mode needs provisioning enabled on the app first (set confirmed once it is)',
      'scimBaseUrl: Okta only calls https URLs',
    ]);
  });
});

describe('the provisioning gate (one rule for everything that needs provisioning enabled)', () => {
  const token = (s: Construct) => new TerraformVariable(s, 'token', { type: 'string', sensitive: true }).stringValue;
  const connect = (s: Construct, app: IScimApp, confirmed: boolean, mode: 'console' | 'api' = 'console') =>
    new ProvisioningConnection(s, mode === 'api' ? 'Api' : 'Console', { app, scimBaseUrl: 'https://scim.example.com/scim/v2', token: token(s), mode, confirmed, appSupportsConnectionApi: mode === 'api' });
  const gated = (s: Construct, app: IScimApp) => {
    const attributes = new ProfileAttributes(s, 'A', { app, extensionUrn: URN, attributes: [{ name: 'costBand', displayName: 'Cost band' }] });
    new ProfileMappings(s, 'M', { app, mappings: [{ attribute: 'costBand', expression: 'user.costCenter' }], dependsOn: Object.values(attributes.properties) });
    const groups = [groupFromId('eng', 'G1')];
    new Assignments(s, 'S', { app, groups, people: ['ada@example.com'] });
    new GroupPush(s, 'P', { app, groups: [{ group: groups[0]! }] });
  };
  const gatedTypes = ['okta_app_user_schema_property', 'okta_profile_mapping', 'okta_app_group_assignment', 'okta_app_user', 'okta_push_group'];

  it('console mode, not confirmed: every gated construct declares nothing', () => {
    const out = parsed((s) => {
      const app = existingApp(s);
      connect(s, app, false);
      gated(s, app);
    });
    expect(out.resource).toBeUndefined();
  });

  it('console mode, confirmed: every gated construct declares its resources, depending on nothing of provisioning', () => {
    const out = parsed((s) => {
      const app = existingApp(s);
      connect(s, app, true);
      gated(s, app);
    });
    expect(Object.keys(out.resource).sort()).toEqual([...gatedTypes].sort());
    const dependsOn = gatedTypes.flatMap((type) => Object.values(out.resource[type]).flatMap((r: any) => r.depends_on ?? []));
    expect(dependsOn.filter((d: string) => d.startsWith('okta_app_features'))).toEqual([]);
  });

  it('api mode: every gated resource depends on the features resource', () => {
    const out = parsed((s) => {
      const app = existingApp(s);
      connect(s, app, true, 'api');
      gated(s, app);
    });
    for (const type of gatedTypes) {
      for (const resource of Object.values(out.resource[type]) as any[]) expect(resource.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^okta_app_features\.Api_Features_/)]));
    }
  });

  it('refuses a second connection for the app, and a connection declared after a construct already waited', () => {
    const stack = new TerraformStack(Testing.app(), 'x');
    const app = existingApp(stack);
    connect(stack, app, true);
    expect(() => new ProvisioningConnection(stack, 'Again', { app, scimBaseUrl: 'https://x/scim/v2', token: 't' })).toThrow(/already declared by x\/Console/);
    const late = ScimApp.fromAppId(stack, 'Late', APP_ID);
    new ProfileAttributes(stack, 'A', { app: late, extensionUrn: URN, attributes: [] });
    expect(() => new ProvisioningConnection(stack, 'LateConnection', { app: late, scimBaseUrl: 'https://x/scim/v2', token: 't', confirmed: true })).toThrow(/opens provisioning after a construct already waited on it; declare the ProvisioningConnection first/);
  });
});

describe('ProfileAttributes', () => {
  const attributes = [
    { name: 'costBand', displayName: 'Cost band', description: 'Pay band' },
    { name: 'site', displayName: 'Site', permission: 'HIDE' as const },
    { name: 'department', displayName: 'Department', namespace: 'enterprise' as const },
    { name: 'badge', displayName: 'Badge', type: 'integer' as const, required: true },
  ];

  it('declares nothing and warns until provisioning is confirmed', () => {
    const stack = new TerraformStack(Testing.app(), 'x');
    const construct = new ProfileAttributes(stack, 'A', { app: existingApp(stack), extensionUrn: URN, attributes });
    expect(JSON.parse(Testing.synth(stack)).resource).toBeUndefined();
    expect(construct.properties).toEqual({});
    expect(construct.node.metadata.map((m) => m.data)).toEqual([expect.stringMatching(/4 attribute\(s\) wait for provisioning\.confirmed/)]);
  });

  it('declares each attribute with external name and namespace once confirmed', () => {
    let construct!: ProfileAttributes;
    const out = synth((s) => (construct = new ProfileAttributes(s, 'A', { app: provisionedApp(s), extensionUrn: URN, attributes })));
    expect(out).toHaveResourceWithProperties(AppUserSchemaProperty, {
      app_id: APP_ID,
      index: 'costBand',
      title: 'Cost band',
      type: 'string',
      description: 'Pay band',
      external_name: 'costBand',
      external_namespace: URN,
      master: 'PROFILE_MASTER',
      scope: 'NONE',
      permissions: 'READ_WRITE',
      required: false,
      lifecycle: { prevent_destroy: true },
    });
    expect(out).toHaveResourceWithProperties(AppUserSchemaProperty, { index: 'department', external_namespace: ENTERPRISE_EXTENSION_URN });
    expect(out).toHaveResourceWithProperties(AppUserSchemaProperty, { index: 'badge', type: 'integer', required: true });
    expect(out).toHaveResourceWithProperties(AppUserSchemaProperty, { index: 'site', permissions: 'HIDE' });
    expect(Object.keys(construct.properties)).toEqual(['costBand', 'site', 'department', 'badge']);
  });

  it('lets destroys through when protection is turned off', () => {
    const out = parsed((s) => new ProfileAttributes(s, 'A', { app: provisionedApp(s), extensionUrn: URN, attributes, preventDestroy: false }));
    for (const property of Object.values(out.resource.okta_app_user_schema_property) as any[]) expect(property.lifecycle).toEqual({ prevent_destroy: false });
  });

  it('reports every invalid attribute at once', () => {
    const stack = new TerraformStack(Testing.app(), 'x');
    expect(
      problems(
        () =>
          new ProfileAttributes(stack, 'A', {
            app: existingApp(stack),
            extensionUrn: 'urn:x',
            attributes: [
              { name: '1st', displayName: 'x' },
              { name: 'a', displayName: ' ' },
              { name: 'A', displayName: 'y' },
              { name: 'b', displayName: 'z', permission: 'WRITE_ONLY' as never },
            ],
          }),
      ),
    ).toEqual([
      'extensionUrn: expected urn:ietf:params:scim:schemas:extension:<vendor>:2.0:User',
      'attributes[0].name: expected a Profile Editor variable name',
      'attributes[1].displayName: must not be empty',
      'attributes[2].name: duplicate "A"',
      'attributes[3].permission: expected one of HIDE, READ_ONLY, READ_WRITE',
    ]);
  });
});

describe('ProfileMappings', () => {
  it('maps Okta user expressions to app attributes, pushing them, after the attributes exist', () => {
    const out = parsed((s) => {
      const app = provisionedApp(s);
      const attributes = new ProfileAttributes(s, 'A', { app, extensionUrn: URN, attributes: [{ name: 'costBand', displayName: 'Cost band' }] });
      new ProfileMappings(s, 'M', { app, mappings: [{ attribute: 'costBand', expression: 'user.costCenter' }], dependsOn: Object.values(attributes.properties) });
    });
    const mapping = Object.values(out.resource.okta_profile_mapping)[0] as any;
    expect(mapping).toMatchObject({
      target_id: APP_ID,
      delete_when_absent: false,
      always_apply: false,
      lifecycle: { prevent_destroy: true },
      mappings: [{ id: 'costBand', expression: 'user.costCenter', push_status: 'PUSH' }],
    });
    expect(mapping.source_id).toMatch(/^\$\{data\.okta_user_profile_mapping_source\./);
    expect(mapping.depends_on).toEqual([expect.stringMatching(/^okta_app_user_schema_property\./)]);
  });

  it('declares nothing without mappings, and refuses ${} in expressions', () => {
    expect(parsed((s) => new ProfileMappings(s, 'M', { app: provisionedApp(s), mappings: [] })).resource).toBeUndefined();
    const stack = new TerraformStack(Testing.app(), 'x');
    expect(problems(() => new ProfileMappings(stack, 'M', { app: existingApp(stack), mappings: [{ attribute: 'a', expression: '${user.x}' }, { attribute: 'b', expression: ' ' }] }))).toEqual([
      'mappings[0].expression: Okta expressions use user.<attribute>, not ${…}',
      'mappings[1].expression: must not be empty',
    ]);
  });

  it('is the resource type the README promises', () => {
    expect(synth((s) => new ProfileMappings(s, 'M', { app: provisionedApp(s), mappings: [{ attribute: 'a', expression: 'user.a' }] }))).toHaveResource(ProfileMapping);
  });
});

describe('OktaGroups and Assignments', () => {
  it('looks existing groups up by name, creates the others, and assigns groups in priority order', () => {
    const out = synth((s) => {
      const groups = new OktaGroups(s, 'G', {
        groups: [
          { key: 'eng', name: 'Engineering' },
          { key: 'admins', name: 'Admins (dev)', source: 'create', description: 'Portal admins' },
        ],
      });
      new Assignments(s, 'A', {
        app: provisionedApp(s),
        groups: [
          groups.group('eng'),
          groups.group('admins'),
        ],
        people: ['Ada@example.com'],
      });
    });
    expect(out).toHaveDataSourceWithProperties(DataOktaGroup, { name: 'Engineering', type: 'OKTA_GROUP' });
    expect(out).toHaveResourceWithProperties(Group, { name: 'Admins (dev)', description: 'Portal admins' });
    const assignments = JSON.parse(out).resource.okta_app_group_assignment;
    // One resource per group, addressed by its key; priority follows the list.
    const byAddress = Object.fromEntries(Object.entries(assignments).map(([k, a]: [string, any]) => [k.replace(/_[0-9A-F]{8}$/, ''), [a.group_id.split('.')[0], a.priority]]));
    expect(byAddress).toEqual({ 'A_group-eng': ['${data', 0], 'A_group-admins': ['${okta_group', 1] });
    expect(Object.keys(JSON.parse(out).resource.okta_app_user).map((k) => k.replace(/_[0-9A-F]{8}$/, ''))).toEqual(['A_adaexamplecom']);
    expect(out).toHaveDataSourceWithProperties(DataOktaUser, { search: [{ name: 'profile.login', value: 'Ada@example.com' }] });
    expect(out).toHaveResourceWithProperties(AppUser, { app_id: APP_ID, username: 'Ada@example.com' });
  });

  it('declares no assignment while disabled (console mode before provisioning is confirmed), and warns', () => {
    const stack = new TerraformStack(Testing.app(), 'x');
    const construct = new Assignments(stack, 'A', { app: existingApp(stack), groups: [groupFromId('eng', 'G')], people: ['ada@example.com'] });
    expect(JSON.parse(Testing.synth(stack)).resource).toBeUndefined();
    expect(construct.node.metadata.map((m) => m.data)).toEqual([expect.stringMatching(/1 group and 1 person assignment\(s\) wait for provisioning\.confirmed/)]);
  });

  it('declares no assignment resource when there is nothing to assign', () => {
    const out = synth((s) => new Assignments(s, 'A', { app: provisionedApp(s) }));
    expect(out).not.toHaveResource(AppGroupAssignment);
    expect(out).not.toHaveResource(AppUser);
  });

  it('reports invalid declarations at once, and unknown keys', () => {
    const stack = new TerraformStack(Testing.app(), 'x');
    expect(
      problems(() => new OktaGroups(stack, 'G', { groups: [{ key: 'a', name: '' }, { key: 'a', name: 'x', description: 'd' }] })),
    ).toEqual(['groups[0].name: must not be empty', 'groups[1].key: duplicate "a"', 'groups[1].description: only for created groups']);
    expect(problems(() => new Assignments(stack, 'A', { app: existingApp(stack), people: ['nobody', 'a@b.c', 'A@B.C'], groups: [groupFromId('g', '1'), groupFromId('g', '2')] }))).toEqual([
      'people[0]: expected an Okta login (an e-mail address)',
      'people[2]: duplicate "A@B.C"',
      'groups[1].key: duplicate "g"',
    ]);
    const groups = new OktaGroups(stack, 'G2', { groups: [] });
    expect(() => groups.group('missing')).toThrow(/unknown group key "missing"/);
  });
});

describe('GroupPush', () => {
  it('pushes each group with the downstream group kept on destroy by default', () => {
    let push!: GroupPush;
    const out = synth((s) => {
      push = new GroupPush(s, 'P', {
        app: provisionedApp(s),
        groups: [{ group: groupFromId('eng', 'G1'), targetName: 'Engineering' }, { group: groupFromId('ops', 'G2'), deleteDownstreamOnDestroy: true }],
      });
    });
    expect(Object.keys(JSON.parse(out).resource.okta_push_group).map((k) => k.replace(/_[0-9A-F]{8}$/, ''))).toEqual(['P_eng', 'P_ops']);
    expect(out).toHaveResourceWithProperties(PushGroup, { app_id: APP_ID, source_group_id: 'G1', target_group_name: 'Engineering', status: 'ACTIVE', delete_target_group_on_destroy: false });
    expect(out).toHaveResourceWithProperties(PushGroup, { source_group_id: 'G2', delete_target_group_on_destroy: true });
    expect(Guardrails.suppressionsOf(push.pushes.ops!)).toEqual([{ ruleId: 'OKTA-003', reason: expect.stringMatching(/deleteDownstreamOnDestroy is set for group "ops"/) }]);
    expect(Guardrails.suppressionsOf(push.pushes.eng!)).toEqual([]);
  });

  it('waits for provisioning.confirmed', () => {
    const out = synth((s) => new GroupPush(s, 'P', { app: existingApp(s), groups: [{ group: groupFromId('eng', 'G1') }] }));
    expect(out).not.toHaveResource(PushGroup);
  });

  it('refuses an empty target name and duplicate or malformed keys', () => {
    const stack = new TerraformStack(Testing.app(), 'x');
    expect(
      problems(() => new GroupPush(stack, 'P', { app: existingApp(stack), groups: [{ group: groupFromId('g', 'g'), targetName: ' ' }, { group: groupFromId('g', 'h') }, { group: groupFromId('Bad Key', 'i') }] })),
    ).toEqual(['groups[0].targetName: must not be empty', 'groups[1].key: duplicate "g"', 'groups[2].key: expected a lower-case identifier (a-z, 0-9, -)']);
  });
});
