import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Construct, Token } from '../framework';
import { Problems } from '../validation';
import { Container, Image, Volume } from './bindings';
import type { ReceiverSettings } from './receiver-settings';
import { CONTAINER_PORT, receiverConfigJson, receiverEnvironment, rolloutChecksum } from './receiver-settings';

/** The repository root: the Docker build context (the lockfile lives there). */
export const REPOSITORY_ROOT = resolve(__dirname, '../..');

/**
 * The repository root as Terraform sees it: relative to the stack's directory (cdktf.out/stacks/<stack>,
 * where Terraform runs), so the synthesized JSON carries no path of the machine that synthesized it.
 */
export const DEFAULT_BUILD_CONTEXT = '../../..';

/** What the image is built from (receiver/Dockerfile's COPY sources): their hash triggers a rebuild. */
const BUILD_INPUTS = ['receiver/Dockerfile', 'package.json', 'package-lock.json', 'tsconfig.base.json', 'receiver/package.json', 'receiver/tsconfig.build.json', 'receiver/src'];

function filesUnder(root: string, path: string): string[] {
  const full = join(root, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full)
    .sort()
    .flatMap((entry) => filesUnder(root, join(path, entry)));
}

/** SHA-256 over the build inputs' paths and contents, in a stable order. */
export function sourceHash(root: string = REPOSITORY_ROOT): string {
  const hash = createHash('sha256');
  for (const file of BUILD_INPUTS.flatMap((p) => filesUnder(root, p))) {
    hash.update(relative(root, join(root, file)));
    hash.update('\0');
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export interface DockerReceiverProps {
  /** Container, volume and image name prefix, e.g. `okta-scim-receiver-dev`. */
  readonly name: string;
  readonly settings: ReceiverSettings;
  /** SHA-256 digests for SCIM_TOKEN_SHA256 (a reference). */
  readonly scimTokenHashes: string;
  /** SHA-256 digest for ADMIN_API_KEY_SHA256 (a reference). */
  readonly adminKeyHash: string;
  /** Generation of the SCIM token, part of the container's rollout checksum. @default 1 */
  readonly scimTokenGeneration?: number;
  /**
   * A prebuilt image to run. @default - built from receiver/Dockerfile in the repository, rebuilt when
   * its inputs change
   */
  readonly image?: string;
  /** Host port published for the receiver. @default 8080 */
  readonly hostPort?: number;
  /** Docker restart policy. @default 'unless-stopped' */
  readonly restart?: 'no' | 'on-failure' | 'always' | 'unless-stopped';
  /** SMTP URL for invitations, as a sensitive reference. @default - none: invitations stay pending */
  readonly smtpUrl?: string;
  /** PostgreSQL URL (DATABASE_URL), as a sensitive reference. @default - SQLite in the data volume */
  readonly databaseUrl?: string;
  /**
   * Build context, as Terraform resolves it (relative to the stack directory, or absolute).
   * @default '../../..' - the repository root seen from cdktf.out/stacks/<stack>
   */
  readonly buildContext?: string;
  /** Where the build inputs are read to compute the rebuild hash. @default - the repository root */
  readonly sourceDirectory?: string;
  /**
   * Refuse to destroy the data volume (`prevent_destroy`): it holds the SQLite database.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/** The receiver on a Docker host: image, named volume for the SQLite data, hardened container. */
export class DockerReceiver extends Construct {
  readonly image?: Image;
  readonly volume: Volume;
  readonly container: Container;
  /** The image reference the container runs. */
  readonly imageRef: string;

  constructor(scope: Construct, id: string, props: DockerReceiverProps) {
    super(scope, id);
    const hostPort = props.hostPort ?? 8080;
    new Problems('DockerReceiver')
      .check(/^[a-z0-9][a-z0-9_.-]{0,62}$/.test(props.name), 'name: expected a Docker name (lower-case letters, digits, _ . -)')
      .check(Number.isInteger(hostPort) && hostPort >= 1 && hostPort <= 65535, 'hostPort: expected a TCP port')
      .check(props.image === undefined || props.image.trim() !== '', 'image: must not be empty')
      .check(props.databaseUrl === undefined || Token.isUnresolved(props.databaseUrl), 'databaseUrl: pass a sensitive reference (a variable), never a literal URL')
      .throwIfAny();

    if (props.image) {
      this.imageRef = props.image;
    } else {
      this.image = new Image(this, 'Image', {
        name: `${props.name}:local`,
        keepLocally: true,
        buildAttribute: { context: props.buildContext ?? DEFAULT_BUILD_CONTEXT, dockerfile: 'receiver/Dockerfile' },
        triggers: { source_sha256: sourceHash(props.sourceDirectory ?? REPOSITORY_ROOT) },
      });
      this.imageRef = this.image.imageId;
    }

    this.volume = new Volume(this, 'Data', { name: `${props.name}-data`, lifecycle: { preventDestroy: props.preventDestroy ?? true } });
    const environment = {
      ...receiverEnvironment(props.settings),
      RECEIVER_CONFIG_JSON: receiverConfigJson(props.settings),
      SCIM_TOKEN_SHA256: props.scimTokenHashes,
      ADMIN_API_KEY_SHA256: props.adminKeyHash,
      ...(props.smtpUrl ? { SMTP_URL: props.smtpUrl } : {}),
      ...(props.databaseUrl ? { DATABASE_URL: props.databaseUrl } : {}),
      // Every env change replaces the container; this names the reason in the plan (and matches Kubernetes).
      ROLLOUT_CHECKSUM: rolloutChecksum(props.settings, props.scimTokenGeneration ?? 1, [
        props.scimTokenHashes,
        props.adminKeyHash,
        ...(props.smtpUrl ? [props.smtpUrl] : []),
        ...(props.databaseUrl ? [props.databaseUrl] : []),
      ]),
    };
    delete (environment as Record<string, string>).RECEIVER_CONFIG; // the content travels inline
    this.container = new Container(this, 'Container', {
      name: props.name,
      image: this.imageRef,
      restart: props.restart ?? 'unless-stopped',
      env: Object.entries(environment).map(([key, value]) => `${key}=${value}`),
      ports: [{ internal: CONTAINER_PORT, external: hostPort }],
      volumes: [{ volumeName: this.volume.name, containerPath: '/data' }],
      readOnly: true,
      tmpfs: { '/tmp': 'rw,noexec,nosuid,size=16m' },
      user: '1000:1000',
      capabilities: { drop: ['ALL'] },
      securityOpts: ['no-new-privileges:true'],
      healthcheck: {
        test: ['CMD', 'node', '-e', `fetch('http://127.0.0.1:${CONTAINER_PORT}/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`],
        interval: '15s',
        timeout: '3s',
        startPeriod: '10s',
        retries: 3,
      },
      logDriver: 'json-file',
      logOpts: { 'max-size': '10m', 'max-file': '5' },
      // SIGTERM, then time for in-flight requests and the database to close.
      stopSignal: 'SIGTERM',
      stopTimeout: 30,
      destroyGraceSeconds: 30,
      mustRun: true,
    });
  }
}
