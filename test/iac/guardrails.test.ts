/**
 * The guardrail rules, each with a compliant and a non-compliant stack: a finding fails synthesis
 * with the construct's path and the rule id; a suppression (with its reason) turns it into a warning
 * that the synth output carries.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { staging } from '../../config/environments/staging';
import { App, Aspects, Construct, TerraformOutput, TerraformStack, TerraformVariable } from '../../constructs/framework';
import { Guardrails } from '../../constructs/guardrails/guardrails';
import { oktaStackRules, receiverStackRules } from '../../constructs/guardrails/packs';
import { AppConnection, AppSaml, Group, OktaProvider, PushGroup } from '../../constructs/okta/bindings';
import { GroupPush } from '../../constructs/okta/group-push';
import { groupFromId } from '../../constructs/okta/groups';
import { ProvisioningConnection } from '../../constructs/okta/provisioning-connection';
import { ScimApp } from '../../constructs/okta/scim-app';
import type { PropsValidationError } from '../../constructs/validation';

let outdir: string;
beforeEach(() => {
  outdir = mkdtempSync(join(tmpdir(), 'cdktf-guardrails-'));
});
afterEach(() => rmSync(outdir, { recursive: true, force: true }));

/** An okta-dev stack with the Okta pack, `build` adding what the test is about. */
function oktaStack(build: (stack: TerraformStack) => void): App {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'okta-dev');
  new OktaProvider(stack, 'okta', { orgName: 'acme-dev', baseUrl: 'oktapreview.com' });
  build(stack);
  Aspects.of(stack).add(new Guardrails(oktaStackRules('dev')));
  return app;
}

/** The synthesis error's message, or '' when synthesis succeeds. */
function synthError(app: App): string {
  try {
    app.synth();
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

/** The warnings of stack okta-dev in the synthesized manifest, by construct path. */
function manifestWarnings(): Array<{ path: string; message: string }> {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
  return (manifest.stacks['okta-dev'].annotations as Array<{ constructPath: string; level: string; message: string }>)
    .filter((a) => a.level === '@cdktf/warn')
    .map((a) => ({ path: a.constructPath, message: a.message }));
}

describe('OKTA-001 no plaintext secrets', () => {
  it('passes credentials given as sensitive references, and sensitive credential outputs', () => {
    const app = oktaStack((stack) => {
      const token = new TerraformVariable(stack, 'token', { type: 'string', sensitive: true });
      new AppConnection(stack, 'C', { id: 'x', baseUrl: 'https://x/scim/v2', action: 'activate', profile: { authScheme: 'TOKEN', token: token.stringValue } });
      new TerraformOutput(stack, 'scim_token', { value: token.stringValue, sensitive: true });
    });
    expect(synthError(app)).toBe('');
  });

  it('refuses a literal token in a resource', () => {
    const app = oktaStack((stack) => {
      new AppConnection(stack, 'C', { id: 'x', baseUrl: 'https://x/scim/v2', action: 'activate', profile: { authScheme: 'TOKEN', token: 'scim_plaintext' } });
    });
    expect(synthError(app)).toMatch(/\[okta-dev\/C\] OKTA-001: profile\.token is a literal value; pass credentials as sensitive references/);
  });

  it('refuses a literal credential in the provider configuration (the receiver pack too)', () => {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'okta-dev');
    new OktaProvider(stack, 'okta', { orgName: 'acme-dev', baseUrl: 'oktapreview.com', apiToken: '00literal-token' });
    Aspects.of(stack).add(new Guardrails(receiverStackRules()));
    expect(synthError(app)).toMatch(/\[okta-dev\/okta\] OKTA-001: provider api_token is a literal value; pass credentials as sensitive variables/);
  });

  it('refuses a credential-looking output that is not sensitive', () => {
    const app = oktaStack((stack) => {
      const token = new TerraformVariable(stack, 'token', { type: 'string', sensitive: true });
      new TerraformOutput(stack, 'scim_token', { value: token.stringValue });
    });
    expect(synthError(app)).toMatch(/OKTA-001: output scim_token looks like a credential and must be sensitive/);
  });
});

describe('OKTA-002 environment in labels', () => {
  it('passes labels and created group names that name the environment as a word', () => {
    const app = oktaStack((stack) => {
      new AppSaml(stack, 'App', { label: 'Portal (dev)', preconfiguredApp: 'scim2testapp' });
      new Group(stack, 'G', { name: 'Admins dev' });
    });
    expect(synthError(app)).toBe('');
  });

  it('refuses Okta objects whose label or name lacks the environment', () => {
    const message = synthError(
      oktaStack((stack) => {
        new AppSaml(stack, 'App', { label: 'Device Portal', preconfiguredApp: 'scim2testapp' });
        new Group(stack, 'G', { name: 'Admins' });
      }),
    );
    expect(message).toMatch(/\[okta-dev\/App\] OKTA-002: okta_app_saml\.label "Device Portal" must contain the environment name "dev"/);
    expect(message).toMatch(/\[okta-dev\/G\] OKTA-002: okta_group\.name "Admins" must contain the environment name "dev"/);
  });
});

describe('OKTA-003 safe group push', () => {
  it('passes a push that keeps the downstream group on destroy', () => {
    const app = oktaStack((stack) => {
      new PushGroup(stack, 'Push', { appId: 'a', sourceGroupId: 'g', deleteTargetGroupOnDestroy: false });
    });
    expect(synthError(app)).toBe('');
  });

  it('refuses a push group that would delete the downstream group (the provider default)', () => {
    const app = oktaStack((stack) => {
      new PushGroup(stack, 'Raw', { appId: 'a', sourceGroupId: 'g' });
    });
    expect(synthError(app)).toMatch(/\[okta-dev\/Raw\] OKTA-003: delete_target_group_on_destroy must be false/);
  });
});

describe('suppressions', () => {
  it('GroupPush suppresses OKTA-003 where config asks for downstream deletion, and the synth output carries the reason as a warning', () => {
    const app = oktaStack((stack) => {
      const scimApp = ScimApp.fromAppId(stack, 'App', '0oa1b2c3d4e5f6g7h8i9');
      const token = new TerraformVariable(stack, 'token', { type: 'string', sensitive: true });
      new ProvisioningConnection(stack, 'Provisioning', { app: scimApp, scimBaseUrl: 'https://x/scim/v2', token: token.stringValue, confirmed: true });
      new GroupPush(stack, 'P', { app: scimApp, groups: [{ group: groupFromId('g', 'g') }, { group: groupFromId('h', 'h'), deleteDownstreamOnDestroy: true }] });
    });
    expect(synthError(app)).toBe('');
    const warnings = manifestWarnings().filter((w) => w.message.startsWith('OKTA-'));
    expect(warnings).toEqual([
      { path: 'okta-dev/P/h', message: expect.stringMatching(/^OKTA-003 suppressed: deleteDownstreamOnDestroy is set for group "h": .* \(finding: delete_target_group_on_destroy must be false/) },
    ]);
  });

  it('`npm run synth` names every suppression that took effect, with its reason', () => {
    const directory = mkdtempSync(join(tmpdir(), 'environments-'));
    const out = mkdtempSync(join(tmpdir(), 'synth-out-'));
    const config = { ...JSON.parse(JSON.stringify(staging)), groupPush: [{ group: 'engineering', deleteDownstreamOnDestroy: true }] };
    writeFileSync(join(directory, 'staging.ts'), `export const staging = ${JSON.stringify(config)};\n`);
    try {
      const root = resolve(__dirname, '../..');
      const synth = spawnSync(process.execPath, ['--require', 'tsx/cjs', 'main.ts'], { cwd: root, encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: out, ENVIRONMENTS_DIR: directory } });
      expect(synth.status).toBe(0);
      expect(synth.stderr.split('\n').filter((line) => line.startsWith('guardrail '))).toEqual([
        'guardrail okta-staging/GroupPush/engineering: OKTA-003 suppressed: deleteDownstreamOnDestroy is set for group "engineering": destroying this push deletes the group in the application',
      ]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  it('covers what the suppressed construct contains, and only the rule it names', () => {
    const app = oktaStack((stack) => {
      const legacy = new Construct(stack, 'Legacy');
      new PushGroup(legacy, 'Raw', { appId: 'a', sourceGroupId: 'g' });
      new Group(legacy, 'G', { name: 'Admins' });
      Guardrails.suppress(legacy, 'OKTA-003', 'the downstream groups of this app are throw-away copies');
    });
    const message = synthError(app);
    expect(message).not.toMatch(/OKTA-003/);
    expect(message).toMatch(/\[okta-dev\/Legacy\/G\] OKTA-002: okta_group\.name "Admins"/);
  });

  it('needs a known rule id and a reason', () => {
    const stack = new TerraformStack(new App({ outdir }), 'okta-dev');
    let problems: readonly string[] = [];
    try {
      Guardrails.suppress(stack, 'OKTA-999', ' ');
    } catch (error) {
      problems = (error as PropsValidationError).problems;
    }
    expect(problems).toEqual(['ruleId: unknown rule "OKTA-999" (rules: OKTA-001, OKTA-002, OKTA-003)', 'reason: say why the rule does not hold here (at least 10 characters)']);
  });
});
