/**
 * The receiver's deployment stacks, synthesized: hardening, probes, the token flow (hash to the
 * receiver, plaintext only in sensitive places), the cross-stack wiring and one attribute list for both sides.
 */
import '../iac/support/jest-matchers';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigError } from '../../config/schema';
import { parseEnvironment } from '../../config/schema';
import { prod } from '../../config/environments/prod';
import type { Construct } from '../../constructs/framework';
import { TerraformStack, TerraformVariable, Testing } from '../../constructs/framework';
import type { NetworkPolicyV1} from '../../constructs/receiver/bindings';
import { Container, DeploymentV1, HorizontalPodAutoscalerV2, Image, IngressV1, PodDisruptionBudgetV1, StatefulSetV1 } from '../../constructs/receiver/bindings';
import { DEFAULT_BUILD_CONTEXT, DockerReceiver, REPOSITORY_ROOT, sourceHash } from '../../constructs/receiver/docker-receiver';
import { KubernetesReceiver, ReceiverDatabase } from '../../constructs/receiver/kubernetes-receiver';
import { ScimTokens } from '../../constructs/receiver/scim-tokens';
import { PropsValidationError } from '../../constructs/validation';
import { synthesize, variant } from '../iac/support/synth';

let stacks: Record<string, any>;
let manifest: any;

beforeAll(() => {
  ({ stacks, manifest } = synthesize());
});

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
    // Both token slots, hashed by Terraform from the token stack's sensitive outputs.
    expect(secret.data.SCIM_TOKEN_SHA256).toMatch(
      /^\$\{join\(",", \[sha256\(data\.terraform_remote_state\.cross-stack-reference-input-scim-token-prod\.outputs\.cross-stack-output-random_passwordScimToken_token-a_\w+result\), sha256\(data\.terraform_remote_state\.cross-stack-reference-input-scim-token-prod\.outputs\.cross-stack-output-random_passwordScimToken_token-b_\w+result\)\]\)\}$/,
    );
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
    // Relative to the stack directory Terraform runs in (cdktf.out/stacks/receiver-dev): no machine path.
    expect(image.build).toEqual({ context: DEFAULT_BUILD_CONTEXT, dockerfile: 'receiver/Dockerfile' });
    expect(join(REPOSITORY_ROOT, 'cdktf.out/stacks/receiver-dev', DEFAULT_BUILD_CONTEXT)).toBe(REPOSITORY_ROOT);
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
    expect(container.env).toEqual(expect.arrayContaining([expect.stringMatching(/^SCIM_TOKEN_SHA256=\$\{join\(",", \[sha256\(data\.terraform_remote_state\.cross-stack-reference-input-scim-token-dev\./)]));
    expect(stacks['receiver-dev'].resource.docker_volume[Object.keys(stacks['receiver-dev'].resource.docker_volume)[0]!].lifecycle).toEqual({ prevent_destroy: true });
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
  it('appears in plaintext only in sensitive places: the token stack\'s cross-stack outputs and the Okta side', () => {
    for (const env of ['dev', 'prod']) {
      const tokenStack = stacks[`scim-token-${env}`];
      expect(Object.keys(tokenStack.resource)).toEqual(['random_password']);
      for (const output of Object.values(tokenStack.output) as any[]) expect(output.sensitive).toBe(true);
      // The receiver stack only ever hashes it.
      const receiverText = JSON.stringify({ ...stacks[`receiver-${env}`], output: undefined }, (key, value) => (key === '//' ? undefined : value));
      const references = receiverText.match(/data\.terraform_remote_state\.[\w-]+\.outputs\.cross-stack-output-random_passwordScimToken[\w-]+/g) ?? [];
      const hashed = receiverText.match(/sha256\(data\.terraform_remote_state\.[\w-]+\.outputs\.cross-stack-output-random_passwordScimToken[\w-]+\)/g) ?? [];
      expect(references.length).toBeGreaterThan(0);
      expect(hashed.length).toBe(references.length);
      const oktaToken = Object.entries(stacks[`okta-${env}`].output).find(([k]) => k.includes('scim_token'))![1] as any;
      expect(oktaToken.sensitive).toBe(true);
    }
  });

  it('lives in two fixed slots: Okta holds the newest, the receiver accepts both', () => {
    const out = JSON.parse(Testing.synthScope((s) => new ScimTokens(s, 'T', { generation: 4 })));
    const passwords = out.resource.random_password;
    expect(Object.keys(passwords).map((k) => k.replace(/_[0-9A-F]{8}$/, '')).sort()).toEqual(['T_token-a', 'T_token-b']);
    expect(Object.values(passwords).map((p: any) => [p.keepers.generation, p.length, p.special]).sort()).toEqual([
      ['3', 48, false],
      ['4', 48, false],
    ]);
    const stack = new TerraformStack(Testing.app(), 'x');
    const tokens = new ScimTokens(stack, 'T', { generation: 4 });
    expect(tokens.currentSlot).toBe('b');
    expect(() => new ScimTokens(stack, 'U', { generation: 0 })).toThrow(/generation: expected an integer ≥ 1/);
  });
});

describe('wiring and order', () => {
  it('scim-token-<env>, then receiver-<env>, then okta-<env>: the Okta stack never reads the receiver\'s state', () => {
    expect(manifest.stacks['scim-token-dev'].dependencies).toEqual([]);
    expect(manifest.stacks['receiver-dev'].dependencies).toEqual(['scim-token-dev']);
    expect(manifest.stacks['okta-dev'].dependencies).toEqual(['scim-token-dev']);
    expect(manifest.stacks['okta-prod'].dependencies).toEqual(['scim-token-prod']);
    expect(manifest.stacks['okta-staging'].dependencies).toEqual([]);
    expect(Object.keys(stacks['okta-dev'].data.terraform_remote_state)).toEqual(['cross-stack-reference-input-scim-token-dev']);
    expect(stacks['okta-dev'].data.terraform_remote_state['cross-stack-reference-input-scim-token-dev']).toMatchObject({ backend: 'local', config: { path: '../../../terraform.scim-token-dev.tfstate' } });
    expect(stacks['scim-token-dev'].terraform.backend.local.path).toBe('../../../terraform.scim-token-dev.tfstate');
    expect(stacks['receiver-dev'].terraform.backend.local.path).toBe('../../../terraform.receiver-dev.tfstate');
    expect(stacks['receiver-prod'].terraform.backend.s3.key).toBe('okta-scim-kit/receiver-prod.tfstate');
    expect(stacks['scim-token-prod'].terraform.backend.s3.key).toBe('okta-scim-kit/scim-token-prod.tfstate');
    // The URL Okta gets is the config's, so the Okta stack needs nothing from the receiver stack.
    expect(stacks['receiver-dev'].output.scim_base_url.value).toBe('https://scim.dev.acme.example/scim/v2');
    expect((Object.entries(stacks['okta-dev'].output).find(([k]) => k.includes('scim_base_url'))![1] as any).value).toBe('https://scim.dev.acme.example/scim/v2');
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
      'receiver.deploy.replicas: several replicas need PostgreSQL (database: { type: "postgres" }); with SQLite the receiver runs as a single replica on a persistent volume',
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
        resources: { memoryLimit: 'lots' },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PropsValidationError);
    expect((error as PropsValidationError).problems).toEqual([
      'name: expected a DNS label',
      'image: pin a tag or digest; "latest" makes deployments unreproducible',
      'replicas: SQLite allows a single replica (a StatefulSet on a persistent volume); several replicas require PostgreSQL',
      'resources.memoryLimit: expected a Kubernetes quantity such as 100m or 128Mi',
    ]);
    const sqlite = new KubernetesReceiver(stack, 'S', { name: 'scim', namespace: 'scim', image: 'r/x:1', settings, scimTokenHashes: 'h', adminKeyHash: 'a' });
    expect(() => sqlite.autoscale({ minReplicas: 1, maxReplicas: 3 })).toThrow(/autoscaling: requires PostgreSQL \(SQLite runs as a single replica\)/);
  });

  it('refuses a literal PostgreSQL URL: a sensitive variable or an existing Secret only', () => {
    const stack = new TerraformStack(Testing.app(), 'x');
    expect(() =>
      new KubernetesReceiver(stack, 'R', { name: 'scim', namespace: 'scim', image: 'r/x:1', settings, scimTokenHashes: 'h', adminKeyHash: 'a', database: ReceiverDatabase.postgresUrl('postgres://u:p@db/scim') }),
    ).toThrow(/database\.url: pass a sensitive reference \(a variable or an existing Secret\), never a literal URL/);
  });

  it('with PostgreSQL from config (sensitive variable): a Deployment of several replicas, an autoscaler, a PDB keeping one, DATABASE_URL from the Secret', () => {
    const env = variant(prod, (c) => {
      c.receiver.deploy.database = { type: 'postgres' };
      c.receiver.deploy.replicas = 2;
    });
    const receiver = synthesize([env]).stacks['receiver-prod'];
    expect(receiver.resource.kubernetes_stateful_set_v1).toBeUndefined();
    const deployment = Object.values(receiver.resource.kubernetes_deployment_v1)[0] as any;
    expect(deployment.spec.replicas).toBe('2');
    expect(deployment.lifecycle).toEqual({ ignore_changes: ['spec[0].replicas'] });
    expect(deployment.spec.template.metadata.annotations['okta-scim-kit/rollout-checksum']).toMatch(/^\$\{sha256\(/);
    const autoscaler = Object.values(receiver.resource.kubernetes_horizontal_pod_autoscaler_v2)[0] as any;
    expect(autoscaler.spec).toMatchObject({ min_replicas: 2, max_replicas: 4, scale_target_ref: { kind: 'Deployment', name: 'scim-receiver' } });
    expect((Object.values(receiver.resource.kubernetes_pod_disruption_budget_v1)[0] as any).spec.min_available).toBe('1');
    expect(receiver.variable.database_url).toMatchObject({ sensitive: true, type: 'string' });
    const secret = Object.values(receiver.resource.kubernetes_secret_v1)[0] as any;
    expect(secret.data.DATABASE_URL).toBe('${var.database_url}');
    const env_ = deployment.spec.template.spec.container[0].env;
    expect(env_.find((e: any) => e.name === 'DATABASE_URL').value_from.secret_key_ref.key).toBe('DATABASE_URL');
    const policy = Object.values(receiver.resource.kubernetes_network_policy_v1)[0] as any;
    expect(policy.spec.egress.flatMap((e: any) => e.ports.map((p: any) => p.port))).toContain('5432');
  });

  it('with PostgreSQL from an existing Secret: DATABASE_URL references it, nothing of it is in the stack', () => {
    const env = variant(prod, (c) => {
      c.receiver.deploy.database = { type: 'postgres', existingSecret: { name: 'scim-database' } };
      c.receiver.deploy.replicas = 3;
      c.receiver.deploy.autoscaling = { minReplicas: 3, maxReplicas: 9, cpuUtilization: 60 };
    });
    const receiver = synthesize([env]).stacks['receiver-prod'];
    expect(receiver.variable?.database_url).toBeUndefined();
    const deployment = Object.values(receiver.resource.kubernetes_deployment_v1)[0] as any;
    const databaseEnv = deployment.spec.template.spec.container[0].env.find((e: any) => e.name === 'DATABASE_URL');
    expect(databaseEnv.value_from.secret_key_ref).toEqual({ name: 'scim-database', key: 'DATABASE_URL' });
    expect((Object.values(receiver.resource.kubernetes_secret_v1)[0] as any).data.DATABASE_URL).toBeUndefined();
    const autoscaler = Object.values(receiver.resource.kubernetes_horizontal_pod_autoscaler_v2)[0] as any;
    expect(autoscaler.spec).toMatchObject({ min_replicas: 3, max_replicas: 9 });
    expect(autoscaler.spec.metric[0].resource.target.average_utilization).toBe(60);
  });

  it('with a PostgreSQL URL reference on the construct: Deployment, autoscaler (a verb, returning it), PDB', () => {
    let autoscaler!: HorizontalPodAutoscalerV2;
    const out = Testing.synthScope((s) => {
      const receiver = new KubernetesReceiver(s, 'R', {
        name: 'scim',
        namespace: 'scim',
        image: 'r/x@sha256:' + 'a'.repeat(64),
        settings,
        scimTokenHashes: 'h',
        adminKeyHash: 'a',
        database: ReceiverDatabase.postgresUrl(new TerraformVariable(s, 'database_url', { type: 'string', sensitive: true }).stringValue),
        replicas: 2,
      });
      autoscaler = receiver.autoscale({ minReplicas: 2, maxReplicas: 6 });
      expect(() => receiver.autoscale()).toThrow(/autoscaling: already declared/);
    });
    expect(autoscaler).toBeInstanceOf(HorizontalPodAutoscalerV2);
    expect(autoscaler.node.path).toBe('stack/R/Autoscaler');
    expect(out).not.toHaveResource(StatefulSetV1);
    expect(out).toHaveResourceWithProperties(DeploymentV1, { spec: expect.objectContaining({ replicas: '2' }) });
    expect(out).toHaveResourceWithProperties(HorizontalPodAutoscalerV2, {
      spec: expect.objectContaining({ min_replicas: 2, max_replicas: 6, scale_target_ref: { api_version: 'apps/v1', kind: 'Deployment', name: 'scim' } }),
    });
    expect(out).toHaveResourceWithProperties(PodDisruptionBudgetV1, { spec: expect.objectContaining({ min_available: '1' }) });
  });

  it('the config refuses replicas on docker, autoscaling on SQLite, an existing Secret on docker', () => {
    const problems = (change: (c: any) => void) => {
      const config: any = JSON.parse(JSON.stringify(prod));
      change(config);
      try {
        parseEnvironment(config);
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    };
    expect(problems((c) => ((c.receiver.deploy.autoscaling = { minReplicas: 1, maxReplicas: 2 }), undefined))).toEqual(['receiver.deploy.autoscaling: autoscaling needs kubernetes and PostgreSQL']);
    expect(
      problems((c) => {
        c.receiver.deploy = { target: 'docker', publicUrl: 'https://scim.acme.example', replicas: 2, database: { type: 'postgres', existingSecret: { name: 'db' } } };
      }),
    ).toEqual([
      'receiver.deploy.replicas: several replicas run on kubernetes only (docker runs one container)',
      'receiver.deploy.database.existingSecret: an existing Secret exists on kubernetes only; on docker the URL comes from TF_VAR_database_url',
    ]);
  });
});

describe('KubernetesReceiver verbs', () => {
  const receiverIn = (s: Construct, database: ReceiverDatabase = ReceiverDatabase.sqlite(), replicas = 1) =>
    new KubernetesReceiver(s, 'R', { name: 'scim', namespace: 'scim', image: 'r/x:1', settings, scimTokenHashes: 'h', adminKeyHash: 'a', database, replicas });

  it('the workload alone: namespace, Secret, ConfigMap, StatefulSet, service and PDB; no ingress, policy or autoscaler', () => {
    const out = JSON.parse(Testing.synthScope((s) => receiverIn(s)));
    expect(Object.keys(out.resource).sort()).toEqual([
      'kubernetes_config_map_v1',
      'kubernetes_namespace_v1',
      'kubernetes_pod_disruption_budget_v1',
      'kubernetes_secret_v1',
      'kubernetes_service_v1',
      'kubernetes_stateful_set_v1',
    ]);
    expect((Object.values(out.resource.kubernetes_pod_disruption_budget_v1)[0] as any).spec).toMatchObject({ max_unavailable: '1' });
  });

  it('exposeViaIngress() returns the TLS ingress routing the host to the service, and refuses a bad host', () => {
    let ingress!: IngressV1;
    const out = Testing.synthScope((s) => {
      const receiver = receiverIn(s);
      ingress = receiver.exposeViaIngress({ host: 'scim.example.com', tlsSecretName: 'tls', className: 'nginx' });
      expect(() => receiver.exposeViaIngress({ host: 'Not A Host', tlsSecretName: 'tls' })).toThrow(/ingress\.host: expected a host name/);
    });
    expect(ingress.node.path).toBe('stack/R/Ingress');
    expect(out).toHaveResourceWithProperties(IngressV1, {
      spec: expect.objectContaining({ ingress_class_name: 'nginx', tls: [{ hosts: ['scim.example.com'], secret_name: 'tls' }] }),
    });
  });

  it('isolate() returns the NetworkPolicy: the receiver port in from the given namespaces; DNS and PostgreSQL out', () => {
    let policy!: NetworkPolicyV1;
    const out = JSON.parse(
      Testing.synthScope((s) => {
        policy = receiverIn(s, ReceiverDatabase.postgresSecret('db', 'url'), 2).isolate({ allowFromNamespaceLabels: { team: 'edge' } });
      }),
    );
    expect(policy.node.path).toBe('stack/R/NetworkPolicy');
    const spec = (Object.values(out.resource.kubernetes_network_policy_v1)[0] as any).spec;
    expect(spec.ingress).toEqual([{ ports: [{ port: '8080', protocol: 'TCP' }], from: [{ namespace_selector: { match_labels: { team: 'edge' } } }] }]);
    expect(spec.egress.flatMap((e: any) => e.ports.map((p: any) => p.port))).toEqual(['53', '53', '5432']);
  });

  it('autoscale() with a floor of one lets the PDB allow an eviction; its default doubles the replicas', () => {
    const out = JSON.parse(
      Testing.synthScope((s) => {
        receiverIn(s, ReceiverDatabase.postgresSecret('db', 'url'), 3).autoscale({ minReplicas: 1 });
      }),
    );
    expect((Object.values(out.resource.kubernetes_horizontal_pod_autoscaler_v2)[0] as any).spec).toMatchObject({ min_replicas: 1, max_replicas: 2 });
    expect((Object.values(out.resource.kubernetes_pod_disruption_budget_v1)[0] as any).spec).toEqual({ selector: expect.anything(), max_unavailable: '1' });
    const doubled = JSON.parse(Testing.synthScope((s) => void receiverIn(s, ReceiverDatabase.postgresSecret('db', 'url'), 3).autoscale()));
    expect((Object.values(doubled.resource.kubernetes_horizontal_pod_autoscaler_v2)[0] as any).spec).toMatchObject({ min_replicas: 3, max_replicas: 6 });
    expect((Object.values(doubled.resource.kubernetes_pod_disruption_budget_v1)[0] as any).spec).toEqual({ selector: expect.anything(), min_available: '1' });
  });
});
