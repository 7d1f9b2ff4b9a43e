/**
 * The receiver's deployment stacks, synthesized: hardening, probes, the token flow (hash to the
 * receiver, plaintext only in sensitive places), the cross-stack wiring and one attribute list for both sides.
 */
import '../iac/support-jest-matchers';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigError} from '../../config/schema';
import { parseEnvironment } from '../../config/schema';
import { prod } from '../../config/environments/prod';
import { TerraformStack, Testing } from '../../constructs/framework';
import { Container, DeploymentV1, HorizontalPodAutoscalerV2, Image, PodDisruptionBudgetV1, StatefulSetV1 } from '../../constructs/receiver/bindings';
import { DockerReceiver, REPOSITORY_ROOT, sourceHash } from '../../constructs/receiver/docker-receiver';
import { KubernetesReceiver } from '../../constructs/receiver/kubernetes-receiver';
import { ReceiverCredentials } from '../../constructs/receiver/receiver-credentials';
import { PropsValidationError } from '../../constructs/validation';
import { buildApp } from '../../main';

let outdir: string;
const stacks: Record<string, any> = {};
let manifest: any;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'cdktf-receiver-'));
  buildApp(outdir).synth();
  for (const name of readdirSync(join(outdir, 'stacks'))) stacks[name] = JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
  manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const first = (stack: string, type: string) => Object.values(stacks[stack].resource[type])[0] as any;
const settings = { publicUrl: 'https://scim.example.com', extensionUrn: 'urn:ietf:params:scim:schemas:extension:acme:2.0:User', attributes: [{ name: 'costBand', displayName: 'Cost band', type: 'string' as const }] };

describe('Kubernetes target (prod)', () => {
  it('runs one replica of a hardened StatefulSet on a persistent volume, probed on /readyz and /healthz', () => {
    const set = first('receiver-prod', 'kubernetes_stateful_set_v1');
    expect(set.spec.replicas).toBe('1');
    const pod = set.spec.template.spec;
    expect(pod).toMatchObject({
      automount_service_account_token: false,
      security_context: { run_as_non_root: true, run_as_user: '1000', fs_group: '1000', seccomp_profile: { type: 'RuntimeDefault' } },
    });
    const container = pod.container[0];
    expect(container.image).toBe('registry.acme.example/okta-scim-kit/receiver:1.0.0');
    expect(container.security_context).toEqual({
      run_as_non_root: true,
      read_only_root_filesystem: true,
      allow_privilege_escalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.readiness_probe.http_get).toEqual({ path: '/readyz', port: '8080' });
    expect(container.liveness_probe.http_get).toEqual({ path: '/healthz', port: '8080' });
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '384Mi' } });
    expect(container.volume_mount.map((m: any) => m.mount_path)).toEqual(['/data', '/etc/receiver', '/tmp']);
    expect(set.spec.volume_claim_template[0].spec.resources.requests.storage).toBe('2Gi');
    expect(set.spec.persistent_volume_claim_retention_policy).toEqual([{ when_deleted: 'Retain', when_scaled: 'Retain' }]);
  });

  it('gives the receiver only hashes and secret references; TLS ingress, PDB and NetworkPolicy around it', () => {
    const secret = first('receiver-prod', 'kubernetes_secret_v1');
    expect(secret.data.SCIM_TOKEN_SHA256).toMatch(/^\$\{sha256\(random_password\.Credentials_ScimToken_\w+\.result\)\}$/);
    expect(secret.data.ADMIN_API_KEY_SHA256).toMatch(/^\$\{sha256\(random_password\.Credentials_AdminKey_\w+\.result\)\}$/);
    expect(secret.data.SMTP_URL).toBe('${var.smtp_url}');
    expect(stacks['receiver-prod'].variable.smtp_url).toMatchObject({ sensitive: true });
    const env = first('receiver-prod', 'kubernetes_stateful_set_v1').spec.template.spec.container[0].env;
    expect(env.find((e: any) => e.name === 'SCIM_TOKEN_SHA256').value_from.secret_key_ref.key).toBe('SCIM_TOKEN_SHA256');
    expect(env.find((e: any) => e.name === 'PUBLIC_URL').value).toBe('https://scim.acme.example');
    expect(env.find((e: any) => e.name === 'RECEIVER_CONFIG').value).toBe('/etc/receiver/config.json');
    const ingress = first('receiver-prod', 'kubernetes_ingress_v1');
    expect(ingress.spec.tls).toEqual([{ hosts: ['scim.acme.example'], secret_name: 'scim-acme-example-tls' }]);
    expect(ingress.spec.ingress_class_name).toBe('nginx');
    expect(first('receiver-prod', 'kubernetes_pod_disruption_budget_v1').spec.max_unavailable).toBe('1');
    const policy = first('receiver-prod', 'kubernetes_network_policy_v1');
    expect(policy.spec.policy_types).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress[0].from[0].namespace_selector.match_labels).toEqual({ 'kubernetes.io/metadata.name': 'ingress-nginx' });
    expect(policy.spec.egress.flatMap((e: any) => e.ports.map((p: any) => p.port))).toEqual(['53', '53', '25', '465', '587']);
    expect(stacks['receiver-prod'].resource.kubernetes_horizontal_pod_autoscaler_v2).toBeUndefined();
  });

  it('declares the same custom attributes and extension URN as the Okta app schema', () => {
    const config = JSON.parse(first('receiver-prod', 'kubernetes_config_map_v1').data['config.json']);
    expect(config.settings).toEqual({ autoInvite: true });
    const env = first('receiver-prod', 'kubernetes_stateful_set_v1').spec.template.spec.container[0].env;
    const urn = env.find((e: any) => e.name === 'SCIM_EXTENSION_URN').value;
    const okta = Object.values(stacks['okta-prod'].resource.okta_app_user_schema_property) as any[];
    const customInOkta = okta.filter((p) => p.external_namespace === urn).map((p) => [p.index, p.title]).sort();
    expect(customInOkta.length).toBeGreaterThan(0);
    expect(config.attributes.map((a: any) => [a.name, a.displayName]).sort()).toEqual(customInOkta);
    expect(config.attributes.find((a: any) => a.name === 'badgeNumber').type).toBe('integer');
  });
});

describe('Docker target (dev)', () => {
  it('builds the image from receiver/Dockerfile, rebuilt on a content hash, and runs a hardened container on a named volume', () => {
    const image = first('receiver-dev', 'docker_image');
    expect(image.build).toEqual({ context: REPOSITORY_ROOT, dockerfile: 'receiver/Dockerfile' });
    expect(image.triggers).toEqual({ source_sha256: sourceHash() });
    const container = first('receiver-dev', 'docker_container');
    expect(container).toMatchObject({
      restart: 'unless-stopped',
      read_only: true,
      user: '1000:1000',
      capabilities: { drop: ['ALL'] },
      security_opts: ['no-new-privileges:true'],
      ports: [{ internal: 8080, external: 8080 }],
      log_driver: 'json-file',
      stop_signal: 'SIGTERM',
    });
    expect(container.volumes[0]).toMatchObject({ container_path: '/data', volume_name: expect.stringMatching(/^\$\{docker_volume\./) });
    expect(container.healthcheck.test.join(' ')).toContain('/healthz');
    expect(container.env).toContain('SCIM_TOKEN_SHA256=${sha256(random_password.Credentials_ScimToken_EF1BD58E.result)}');
    const inline = container.env.find((e: string) => e.startsWith('RECEIVER_CONFIG_JSON='));
    expect(JSON.parse(inline.slice('RECEIVER_CONFIG_JSON='.length)).attributes.map((a: any) => a.name)).toEqual(['costBand']);
  });

  it('changes the content hash when a receiver source changes', () => {
    const copy = mkdtempSync(join(tmpdir(), 'receiver-src-'));
    try {
      for (const path of ['receiver/Dockerfile', 'package.json', 'package-lock.json', 'tsconfig.base.json', 'receiver/package.json', 'receiver/tsconfig.build.json', 'receiver/src']) {
        cpSync(join(REPOSITORY_ROOT, path), join(copy, path), { recursive: true });
      }
      const before = sourceHash(copy);
      expect(before).toBe(sourceHash());
      writeFileSync(join(copy, 'receiver/src/main.ts'), `${readFileSync(join(copy, 'receiver/src/main.ts'), 'utf8')}\n// changed\n`);
      expect(sourceHash(copy)).not.toBe(before);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('runs a prebuilt image without building one', () => {
    const out = Testing.synthScope((s) => new DockerReceiver(s, 'R', { name: 'receiver', settings, scimTokenHashes: 'h', adminKeyHash: 'a', image: 'registry/receiver:1.2.3' }));
    expect(out).not.toHaveResource(Image);
    expect(out).toHaveResourceWithProperties(Container, { image: 'registry/receiver:1.2.3' });
  });
});

describe('the token', () => {
  const text = () => Object.entries(stacks).map(([name, s]) => [name, JSON.stringify(s)] as const);

  it('appears in plaintext only in sensitive places: the cross-stack output and the Okta side', () => {
    const plaintext = /random_password\.Credentials_ScimToken_\w+\.result/g;
    const receiverDev = stacks['receiver-dev'];
    const sensitiveOutputs = Object.entries(receiverDev.output).filter(([, o]: [string, any]) => plaintext.test(JSON.stringify(o)));
    expect(sensitiveOutputs.length).toBe(1);
    expect((sensitiveOutputs[0]![1] as any).sensitive).toBe(true);
    // Everywhere else in the receiver stacks the token only appears hashed.
    for (const [name] of text().filter(([n]) => n.startsWith('receiver-'))) {
      // Configuration only: outputs were checked above; "//" is cdktf's metadata (names, not values).
      const withoutOutputs = JSON.stringify({ ...stacks[name], output: undefined }, (key, value) => (key === '//' ? undefined : value));
      const references = [...withoutOutputs.matchAll(/[^"]*random_password\.Credentials_ScimToken_\w+\.result[^"]*/g)].map((m) => m[0]);
      expect(references.length).toBeGreaterThan(0);
      for (const reference of references) expect({ stack: name, reference }).toEqual({ stack: name, reference: expect.stringMatching(/sha256\(random_password/) });
    }
    // The Okta stacks receive it from the receiver's state into sensitive places only.
    const devToken = Object.entries(stacks['okta-dev'].output).find(([k]) => k.includes('scim_token'))![1] as any;
    expect(devToken.sensitive).toBe(true);
  });

  it('rotates with a second generation accepted during the overlap', () => {
    const out = JSON.parse(
      Testing.synthScope((s) => {
        const credentials = new ReceiverCredentials(s, 'C', { tokenGeneration: 2, previousTokenGeneration: 1 });
        new KubernetesReceiver(s, 'R', { name: 'scim', namespace: 'scim', image: 'r/x:1', settings, scimTokenHashes: credentials.scimTokenHashes, adminKeyHash: credentials.adminKeyHash });
      }),
    );
    const passwords = Object.values(out.resource.random_password) as any[];
    expect(passwords.map((p) => p.keepers?.generation).sort()).toEqual(['1', '2', undefined].sort());
    expect(passwords.every((p) => p.length === 48 && p.special === false)).toBe(true);
    const secret = Object.values(out.resource.kubernetes_secret_v1)[0] as any;
    expect(secret.data.SCIM_TOKEN_SHA256).toMatch(/^\$\{join\(",", \[sha256\(random_password\.C_ScimToken_\w+\.result\), sha256\(random_password\.C_PreviousScimToken_\w+\.result\)\]\)\}$/);
  });

  it('refuses a previous generation that is not older', () => {
    const stack = new TerraformStack(Testing.app(), 'x');
    expect(() => new ReceiverCredentials(stack, 'C', { tokenGeneration: 1, previousTokenGeneration: 1 })).toThrow(/previousTokenGeneration: expected an integer ≥ 1 below tokenGeneration/);
  });
});

describe('wiring and order', () => {
  it('okta-<env> takes the receiver stack URL and depends on it (deploy receiver-<env> first)', () => {
    expect(manifest.stacks['okta-dev'].dependencies).toEqual(['receiver-dev']);
    expect(manifest.stacks['okta-prod'].dependencies).toEqual(['receiver-prod']);
    expect(manifest.stacks['okta-staging'].dependencies).toEqual([]);
    const remote = stacks['okta-dev'].data.terraform_remote_state['cross-stack-reference-input-receiver-dev'];
    expect(remote).toMatchObject({ backend: 'local', config: { path: join(process.cwd(), 'terraform.receiver-dev.tfstate') } });
    expect(stacks['receiver-dev'].terraform.backend.local.path).toBe(join(process.cwd(), 'terraform.receiver-dev.tfstate'));
    expect(stacks['receiver-prod'].terraform.backend.s3.key).toBe('okta-scim-kit/receiver-prod.tfstate');
    expect(stacks['receiver-dev'].output.scim_base_url.value).toBe('https://scim.dev.acme.example/scim/v2');
    expect(stacks['receiver-dev'].output.admin_api_key.sensitive).toBe(true);
  });
});

describe('replicas and databases', () => {
  it('the config refuses several replicas with SQLite, with a clear message', () => {
    const config: any = JSON.parse(JSON.stringify(prod));
    config.receiver.deploy.replicas = 3;
    config.receiver.deploy.image = 'registry/x:latest';
    let problems: readonly string[] = [];
    try {
      parseEnvironment(config);
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([
      'receiver.deploy.replicas: several replicas need PostgreSQL; with SQLite the receiver runs as a single replica on a persistent volume (PostgreSQL support is planned)',
      'receiver.deploy.image: pin a tag or digest; "latest" makes deployments unreproducible',
    ]);
  });

  it('the construct refuses it too, and reports every problem at once', () => {
    const stack = new TerraformStack(Testing.app(), 'x');
    let error: unknown;
    try {
      new KubernetesReceiver(stack, 'R', {
        name: 'Scim',
        namespace: 'scim',
        image: 'r/x:latest',
        settings,
        scimTokenHashes: 'h',
        adminKeyHash: 'a',
        replicas: 2,
        autoscaling: { minReplicas: 1, maxReplicas: 3 },
        resources: { memoryLimit: 'lots' },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PropsValidationError);
    expect((error as PropsValidationError).problems).toEqual([
      'name: expected a DNS label',
      'image: expected a pinned reference (registry/name:tag or @sha256:…), not latest',
      'replicas: SQLite allows a single replica (a StatefulSet on a persistent volume); several replicas require PostgreSQL',
      'autoscaling: requires PostgreSQL (SQLite runs as a single replica)',
      'resources.memoryLimit: expected a Kubernetes quantity such as 100m or 128Mi',
    ]);
  });

  it('with a PostgreSQL URL, runs a Deployment of several replicas with an autoscaler and a stricter PDB', () => {
    const out = Testing.synthScope((s) =>
      new KubernetesReceiver(s, 'R', {
        name: 'scim',
        namespace: 'scim',
        image: 'r/x@sha256:' + 'a'.repeat(64),
        settings,
        scimTokenHashes: 'h',
        adminKeyHash: 'a',
        database: { postgresUrl: '${var.database_url}' },
        replicas: 2,
        autoscaling: { minReplicas: 2, maxReplicas: 6 },
      }),
    );
    expect(out).not.toHaveResource(StatefulSetV1);
    expect(out).toHaveResourceWithProperties(DeploymentV1, { spec: expect.objectContaining({ replicas: '2' }) });
    expect(out).toHaveResourceWithProperties(HorizontalPodAutoscalerV2, {
      spec: expect.objectContaining({ min_replicas: 2, max_replicas: 6, scale_target_ref: { api_version: 'apps/v1', kind: 'Deployment', name: 'scim' } }),
    });
    expect(out).toHaveResourceWithProperties(PodDisruptionBudgetV1, { spec: expect.objectContaining({ min_available: '1' }) });
    const secret = Object.values(JSON.parse(out).resource.kubernetes_secret_v1)[0] as any;
    expect(secret.data.DATABASE_URL).toBe('${var.database_url}');
  });
});
