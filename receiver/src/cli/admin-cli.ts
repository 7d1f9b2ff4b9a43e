/**
 * `npm run admin -- <command>`: recovery on the host, without deleting the database. Issues new
 * secrets (each printed once; only hashes are stored) in a receiver's store, chosen as the receiver
 * chooses it (store/open-store.ts): DATABASE_URL for PostgreSQL, else DATA_DIR / SQLITE_FILE.
 *
 *   create-admin <username>     a new portal account with a generated password
 *   reset-admin <username>      a new generated password; the account's sessions end
 *   list-admins                 portal accounts
 *   token create [label]        a new SCIM token (at most two exist; renew one instead when full)
 *   token renew <id>            a new secret for a token (the old one stops working)
 *   token list                  SCIM tokens (no secrets)
 *   admin-key create [label]    a new admin API key for /api
 */
import { AccountsService } from '../admin/accounts-service';
import { AdminError } from '../admin/errors';
import { TokensService } from '../admin/tokens-service';
import { TokenVerifier, generateTokenSecret, sha256Hex } from '../auth/tokens';
import type { Settings } from '../settings';
import { SettingsError, loadSettings } from '../settings';
import { openStore } from '../store/open-store';
import { systemClock } from '../time/clock';

const USAGE = `usage: npm run admin -- <command>
  create-admin <username>     create a portal account (prints a generated password once)
  reset-admin <username>      issue a new password for a portal account (ends its sessions)
  list-admins                 list portal accounts
  token create [label]        issue a new SCIM token (prints it once)
  token renew <id>            issue a new secret for a SCIM token (the old secret stops working)
  token list                  list SCIM tokens
  admin-key create [label]    issue a new admin API key (prints it once)
On SQLite a running receiver picks up new SCIM tokens and admin keys when restarted (on PostgreSQL within a second); accounts and passwords apply at once.`;

const ACTOR = 'cli';

/** PostgreSQL notifies running receivers of token changes (change feed); SQLite receivers read tokens at start. */
function restartHint(settings: Settings, what: 'token' | 'key'): string {
  return settings.database ? `Running receivers accept the new ${what} within a second.` : `Restart the receiver for it to accept the new ${what}.`;
}

async function run(args: readonly string[], print: (line: string) => void): Promise<number> {
  const [command, sub, ...rest] = args;
  if (!command || command === 'help' || command === '--help') {
    print(USAGE);
    return command ? 0 : 2;
  }
  const settings = loadSettings();
  const store = await openStore(settings, systemClock);
  try {
    const accounts = new AccountsService(store, { maxAttempts: settings.portalLoginMaxAttempts, lockSeconds: settings.portalLoginLockSeconds }, systemClock);
    const tokens = new TokensService(store, new TokenVerifier(store.tokens, 'scim', settings.tokenHashes, systemClock), settings.tokenHashes);
    switch (command) {
      case 'create-admin':
      case 'reset-admin': {
        if (!sub) break;
        const issued = command === 'create-admin' ? await accounts.create(sub, ACTOR) : await accounts.reset(sub, ACTOR);
        print(`Portal account ${issued.account.username} (shown once; only its scrypt hash is stored): ${issued.password}`);
        return 0;
      }
      case 'list-admins':
        for (const a of await accounts.list()) print(`${a.username}\tcreated ${a.created}\tlast sign-in ${a.lastLogin ?? 'never'}`);
        return 0;
      case 'token':
        if (sub === 'list') {
          for (const t of await tokens.list()) print(`${t.id}\t${t.label}\t${t.status}\tlast used ${t.lastUsed ?? 'never'}${t.managed ? '\t(SCIM_TOKEN_SHA256)' : ''}`);
          return 0;
        }
        if (sub === 'create' || (sub === 'renew' && rest[0])) {
          const issued = sub === 'create' ? await tokens.generate(rest.join(' ').trim() || 'SCIM token (CLI)', ACTOR) : await tokens.renew(rest[0]!, ACTOR);
          print(`SCIM bearer token "${issued.label}" (${issued.id}; shown once; only its SHA-256 is stored): ${issued.token}`);
          print(restartHint(settings, 'token'));
          return 0;
        }
        break;
      case 'admin-key':
        if (sub === 'create') {
          const secret = generateTokenSecret('admin');
          const label = rest.join(' ').trim() || 'admin key (CLI)';
          await store.tokens.insert({ label, sha256: sha256Hex(secret), kind: 'admin' }, { actor: ACTOR, action: 'admin-key.create', resourceType: 'Token', summary: `Created admin API key "${label}" from the command line` });
          print(`Admin API key "${label}" (shown once; only its SHA-256 is stored): ${secret}`);
          print(restartHint(settings, 'key'));
          return 0;
        }
        break;
    }
    print(USAGE);
    return 2;
  } finally {
    await store.close();
  }
}

run(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof SettingsError || error instanceof AdminError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(error instanceof AdminError ? 1 : 2);
    }
    process.stderr.write(`admin command failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
