/** Admin portal accounts and their sessions. */
export interface AdminAccountRecord {
  readonly id: string;
  readonly username: string;
  /** `scrypt$N$r$p$salt$hash` (base64url); the password itself is never stored. */
  readonly passwordHash: string;
  readonly created: string;
  readonly updated: string;
  readonly lastLogin?: string;
}

export interface AdminAccountStore {
  list(): Promise<AdminAccountRecord[]>;
  /** Case-insensitive. */
  findByUsername(username: string): Promise<AdminAccountRecord | undefined>;
  get(id: string): Promise<AdminAccountRecord | undefined>;
  /** Throws UniqueViolationError('username') when the name is taken. */
  create(username: string, passwordHash: string): Promise<AdminAccountRecord>;
  setPassword(id: string, passwordHash: string): Promise<boolean>;
  recordLogin(id: string, at: string): Promise<void>;
}

export interface SessionRecord {
  /** SHA-256 of the session id in the cookie: a stolen database holds no usable session. */
  readonly idSha256: string;
  /** The local account, or undefined for an OIDC sign-in. */
  readonly accountId?: string;
  /** Who is signed in, as shown and written to the activity log (`alice`, `oidc:alice@example.com`). */
  readonly principal: string;
  readonly csrfToken: string;
  readonly created: string;
  readonly lastSeen: string;
  /** Absolute expiry (ISO time), whatever the activity. */
  readonly expiresAt: string;
}

export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  get(idSha256: string): Promise<SessionRecord | undefined>;
  touch(idSha256: string, at: string): Promise<void>;
  delete(idSha256: string): Promise<void>;
  /** Signs an account out everywhere (password reset). */
  deleteForAccount(accountId: string): Promise<number>;
  /** Deletes sessions idle since before `idleBefore` or past their absolute expiry at `now`. */
  prune(now: string, idleBefore: string): Promise<number>;
}
