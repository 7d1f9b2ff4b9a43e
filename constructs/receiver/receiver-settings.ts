import { createHash } from 'node:crypto';
import { Fn } from '../framework';

/** What the receiver needs, whatever runs it. */
export interface ReceiverAttribute {
  readonly name: string;
  readonly displayName: string;
  readonly type: 'string' | 'boolean' | 'integer' | 'number';
  readonly description?: string;
}

export interface ReceiverSettings {
  /** External base URL (https://scim.example.com): PUBLIC_URL, invitation links, meta.location. */
  readonly publicUrl: string;
  /** The custom-attribute extension URN (SCIM_EXTENSION_URN), the same one the Okta app uses. */
  readonly extensionUrn: string;
  /** Custom attributes (the Okta app's `custom` namespace ones), written to the receiver configuration file. */
  readonly attributes: readonly ReceiverAttribute[];
  /** @default false */
  readonly autoInvite?: boolean;
  /** Sender of invitations. @default - the receiver's default */
  readonly mailFrom?: string;
}

export const CONFIG_MOUNT_DIR = '/etc/receiver';
export const CONFIG_FILE = `${CONFIG_MOUNT_DIR}/config.json`;
export const CONTAINER_PORT = 8080;

/** The receiver configuration file (RECEIVER_CONFIG) content: settings and attributes managed by code. */
export function receiverConfigJson(settings: ReceiverSettings): string {
  return JSON.stringify(
    {
      settings: { autoInvite: settings.autoInvite ?? false },
      attributes: settings.attributes.map((a) => ({
        name: a.name,
        displayName: a.displayName,
        // The Profile Editor's "number" is SCIM's "decimal".
        type: a.type === 'number' ? 'decimal' : a.type,
        description: a.description ?? '',
      })),
    },
    null,
    2,
  );
}

/** Plain (non-secret) environment of the receiver process. */
export function receiverEnvironment(settings: ReceiverSettings): Record<string, string> {
  return {
    HOST: '0.0.0.0',
    PORT: String(CONTAINER_PORT),
    DATA_DIR: '/data',
    PUBLIC_URL: settings.publicUrl,
    SCIM_EXTENSION_URN: settings.extensionUrn,
    RECEIVER_CONFIG: CONFIG_FILE,
    LOG_LEVEL: 'info',
    ...(settings.mailFrom ? { MAIL_FROM: settings.mailFrom } : {}),
  };
}

/**
 * The value whose change must restart the receiver: the configuration file and plain environment
 * (hashed here), the token generation, and the secrets' values (hashed by Terraform, so a rotation or
 * a new admin key also changes it). A Secret or ConfigMap change alone restarts no pod.
 */
export function rolloutChecksum(settings: ReceiverSettings, tokenGeneration: number, secrets: readonly string[]): string {
  const plain = createHash('sha256').update(receiverConfigJson(settings)).update('\0').update(JSON.stringify(receiverEnvironment(settings))).digest('hex');
  return Fn.sha256(Fn.join('\n', [plain, `scim-token-generation=${tokenGeneration}`, ...secrets]));
}
