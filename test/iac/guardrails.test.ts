/** The guardrail aspects fail synthesis with a message naming the construct. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Aspects, TerraformOutput, TerraformStack, TerraformVariable } from '../../constructs/framework';
import { EnvironmentInLabels, NoPlaintextSecrets, SafeGroupPush } from '../../constructs/guardrails';
import { AppConnection, AppSaml, Group, OktaProvider, PushGroup } from '../../constructs/okta/bindings';
import { GroupPush } from '../../constructs/okta/group-push';

let outdir: string;
beforeEach(() => {
  outdir = mkdtempSync(join(tmpdir(), 'cdktf-guardrails-'));
});
afterEach(() => rmSync(outdir, { recursive: true, force: true }));

function stackWith(build: (stack: TerraformStack) => void): App {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'okta-dev');
  new OktaProvider(stack, 'okta', { orgName: 'acme-dev', baseUrl: 'oktapreview.com' });
  build(stack);
  Aspects.of(stack).add(new NoPlaintextSecrets());
  Aspects.of(stack).add(new EnvironmentInLabels('dev'));
  Aspects.of(stack).add(new SafeGroupPush());
  return app;
}

it('passes a compliant stack', () => {
  const app = stackWith((stack) => {
    const token = new TerraformVariable(stack, 'token', { type: 'string', sensitive: true });
    const app = new AppSaml(stack, 'App', { label: 'Portal (dev)', preconfiguredApp: 'scim2testapp' });
    new AppConnection(stack, 'C', { id: app.id, baseUrl: 'https://x/scim/v2', action: 'activate', profile: { authScheme: 'TOKEN', token: token.stringValue } });
    new TerraformOutput(stack, 'scim_token', { value: token.stringValue, sensitive: true });
    new GroupPush(stack, 'P', { appId: app.id, provisioningConfirmed: true, groups: [{ key: 'g', groupId: 'g' }, { key: 'h', groupId: 'h', deleteDownstreamOnDestroy: true }] });
  });
  expect(() => app.synth()).not.toThrow();
});

it('refuses a literal token in a resource', () => {
  const app = stackWith((stack) => {
    new AppConnection(stack, 'C', { id: 'x', baseUrl: 'https://x/scim/v2', action: 'activate', profile: { authScheme: 'TOKEN', token: 'scim_plaintext' } });
  });
  expect(() => app.synth()).toThrow(/\[okta-dev\/C\] profile\.token is a literal value; pass credentials as sensitive references/);
});

it('refuses a literal credential in the provider configuration', () => {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'okta-dev');
  new OktaProvider(stack, 'okta', { orgName: 'acme-dev', baseUrl: 'oktapreview.com', apiToken: '00literal-token' });
  Aspects.of(stack).add(new NoPlaintextSecrets());
  expect(() => app.synth()).toThrow(/\[okta-dev\/okta\] provider api_token is a literal value; pass credentials as sensitive variables/);
});

it('refuses a credential-looking output that is not sensitive', () => {
  const app = stackWith((stack) => {
    const token = new TerraformVariable(stack, 'token', { type: 'string', sensitive: true });
    new TerraformOutput(stack, 'scim_token', { value: token.stringValue });
  });
  expect(() => app.synth()).toThrow(/output scim_token looks like a credential and must be sensitive/);
});

it('refuses Okta objects whose label or name lacks the environment', () => {
  const app = stackWith((stack) => {
    new AppSaml(stack, 'App', { label: 'Device Portal', preconfiguredApp: 'scim2testapp' });
    new Group(stack, 'G', { name: 'Admins' });
  });
  let message = '';
  try {
    app.synth();
  } catch (error) {
    message = (error as Error).message;
  }
  expect(message).toMatch(/\[okta-dev\/App\] okta_app_saml\.label "Device Portal" must contain the environment name "dev"/);
  expect(message).toMatch(/\[okta-dev\/G\] okta_group\.name "Admins" must contain the environment name "dev"/);
});

it('refuses a push group that would delete the downstream group without being asked to', () => {
  const app = stackWith((stack) => {
    new PushGroup(stack, 'Raw', { appId: 'a', sourceGroupId: 'g' });
  });
  expect(() => app.synth()).toThrow(/\[okta-dev\/Raw\] delete_target_group_on_destroy must be false/);
});
