import { Token } from '../../framework';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** An environment variable of the container read from a Secret. */
export interface SecretEnv {
  readonly name: string;
  readonly valueFrom: { readonly secretKeyRef: { readonly name: string; readonly key: string } };
}

/**
 * Where the receiver on Kubernetes keeps its data: SQLite on a persistent volume (one replica), or
 * PostgreSQL with the URL either in the receiver's own Secret (from a sensitive reference) or in a
 * Secret that exists in the namespace. A class rather than a union of object shapes, so each kind
 * says what it adds to the Secret, the environment and the rollout checksum.
 */
export class ReceiverDatabase {
  /** SQLite in /data, on a persistent volume claim: a StatefulSet of one replica. */
  static sqlite(): ReceiverDatabase {
    return new ReceiverDatabase('sqlite');
  }

  /** PostgreSQL, the URL a sensitive reference (a variable), stored in the receiver's Secret. */
  static postgresUrl(url: string): ReceiverDatabase {
    return new ReceiverDatabase('postgres', url);
  }

  /** PostgreSQL, the URL in a Secret that already exists in the namespace (nothing of it is in the stack). */
  static postgresSecret(name: string, key: string): ReceiverDatabase {
    return new ReceiverDatabase('postgres', undefined, { name, key });
  }

  private constructor(
    readonly kind: 'sqlite' | 'postgres',
    private readonly url?: string,
    private readonly existingSecret?: { readonly name: string; readonly key: string },
  ) {}

  /** What is wrong with it, as `database.…` problems. */
  problems(): string[] {
    const problems: string[] = [];
    if (this.url !== undefined && !Token.isUnresolved(this.url)) problems.push('database.url: pass a sensitive reference (a variable or an existing Secret), never a literal URL');
    if (this.existingSecret) {
      if (!DNS_SUBDOMAIN.test(this.existingSecret.name)) problems.push('database.existingSecret.name: expected a Secret name');
      if (!/^[-._a-zA-Z0-9]+$/.test(this.existingSecret.key)) problems.push('database.existingSecret.key: expected a Secret key');
    }
    return problems;
  }

  /** Entries of the receiver's own Secret. */
  get secretData(): Record<string, string> {
    return this.url !== undefined ? { DATABASE_URL: this.url } : {};
  }

  /** Environment read from a Secret the stack does not own. */
  get foreignSecretEnv(): SecretEnv[] {
    return this.existingSecret ? [{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: this.existingSecret.name, key: this.existingSecret.key } } }] : [];
  }

  /** What rolls the pods when it changes. */
  get checksumInputs(): string[] {
    if (this.url !== undefined) return [this.url];
    return this.existingSecret ? [`${this.existingSecret.name}/${this.existingSecret.key}`] : [];
  }
}
