/**
 * The places that hold the attribute list, each read into one shape: the environment config, the
 * receiver's live /Schemas and /api/diagnostics, the okta stack (synthesized) and the Okta app's user
 * schema (Okta API, GET /api/v1/meta/schemas/apps/{appId}/default).
 */
import type { EnvironmentConfig } from '../../config/schema';
import type { StackJson } from '../review/stack-json';
import type { ScimCall } from '../verify/okta-simulator';

export const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** An attribute as one place holds it: external name, namespace URN and type in the Profile Editor's terms. */
export interface PlacedAttribute {
  readonly name: string;
  readonly urn: string;
  /** string, boolean, integer, number (SCIM's decimal is number). */
  readonly type: string;
}

/** Types compared in the Profile Editor's words (SCIM decimal = number). */
export function normalizeType(type: string | undefined): string {
  if (type === 'decimal') return 'number';
  return type ?? 'string';
}

export function fromConfig(env: EnvironmentConfig): PlacedAttribute[] {
  return env.attributes.map((a) => ({ name: a.name, urn: a.namespace === 'enterprise' ? ENTERPRISE_URN : env.scimExtensionUrn, type: a.type }));
}

export function fromOktaStack(stack: StackJson): PlacedAttribute[] {
  return Object.values(stack.resource?.okta_app_user_schema_property ?? {}).map((p) => ({
    name: String(p.external_name ?? p.index),
    urn: String(p.external_namespace ?? ''),
    type: normalizeType(typeof p.type === 'string' ? p.type : undefined),
  }));
}

/** Attributes of the receiver's extension and enterprise schemas, as /Schemas publishes them. */
export async function fromReceiverSchemas(call: ScimCall, urns: readonly string[]): Promise<PlacedAttribute[]> {
  const r = await call('GET', '/Schemas');
  if (r.status !== 200 || !Array.isArray(r.body?.Resources)) throw new Error(`GET /Schemas answered ${r.status}${r.status === 401 ? ' (check --token-env)' : ''}`);
  const out: PlacedAttribute[] = [];
  for (const schema of r.body.Resources as { id: string; attributes?: { name: string; type?: string }[] }[]) {
    if (!urns.some((u) => u.toLowerCase() === schema.id.toLowerCase())) continue;
    for (const a of schema.attributes ?? []) out.push({ name: a.name, urn: schema.id, type: normalizeType(a.type) });
  }
  return out;
}

export interface UndeclaredAttribute {
  readonly urn: string;
  readonly name: string;
  readonly lastUser?: string;
}

/** What Okta already sends that the receiver does not declare (GET /api/diagnostics, admin key). */
export async function fromDiagnostics(adminUrl: string, adminKey: string): Promise<UndeclaredAttribute[]> {
  const response = await fetch(`${adminUrl}/api/diagnostics`, { headers: { authorization: `Bearer ${adminKey}`, accept: 'application/json' }, signal: AbortSignal.timeout(60_000) });
  if (response.status !== 200) throw new Error(`GET /api/diagnostics answered ${response.status}${response.status === 401 ? ' (check --admin-key-env)' : ''}`);
  const body = (await response.json()) as { undeclaredAttributes?: UndeclaredAttribute[] };
  return (body.undeclaredAttributes ?? []).map((u) => ({ urn: u.urn, name: u.name, ...(u.lastUser ? { lastUser: u.lastUser } : {}) }));
}

/** Logins the receiver has never seen (a lookup by userName finds nothing). */
export async function neverProvisioned(call: ScimCall, logins: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const login of logins) {
    const r = await call('GET', `/Users?filter=${encodeURIComponent(`userName eq "${login}"`)}&startIndex=1&count=1`);
    if (r.status !== 200) throw new Error(`lookup of ${login} answered ${r.status}`);
    if (r.body?.totalResults === 0) missing.push(login);
  }
  return missing;
}

export interface OktaApi {
  /** https://<org>.okta.com */
  readonly orgUrl: string;
  /** An API token (read-only administrator): sent as `SSWS <token>`. */
  readonly token: string;
}

async function oktaGet(api: OktaApi, path: string): Promise<unknown> {
  const response = await fetch(`${api.orgUrl.replace(/\/+$/, '')}${path}`, {
    headers: { authorization: `SSWS ${api.token}`, accept: 'application/json' },
    signal: AbortSignal.timeout(60_000),
  });
  if (response.status === 401 || response.status === 403) {
    throw new Error(`Okta answered ${response.status} for GET ${path.split('?')[0]}: the token needs read access to apps and schemas (a Read-Only Administrator, or the scopes okta.apps.read and okta.schemas.read)`);
  }
  if (response.status !== 200) throw new Error(`Okta answered ${response.status} for GET ${path.split('?')[0]}`);
  return response.json();
}

/** The app's id: given, or found by its label (GET /api/v1/apps?q=<label>, exact label match). */
export async function findAppId(api: OktaApi, label: string): Promise<string> {
  const apps = (await oktaGet(api, `/api/v1/apps?q=${encodeURIComponent(label)}&limit=200`)) as { id: string; label: string }[];
  const matches = apps.filter((a) => a.label === label);
  if (matches.length !== 1) throw new Error(`Okta has ${matches.length} apps labelled "${label}": give --app-id`);
  return matches[0]!.id;
}

/** Custom properties of the app user schema: `definitions.custom.properties.<variable>` with externalName / externalNamespace. */
export async function fromOktaApi(api: OktaApi, appId: string): Promise<PlacedAttribute[]> {
  const schema = (await oktaGet(api, `/api/v1/meta/schemas/apps/${encodeURIComponent(appId)}/default`)) as {
    definitions?: { custom?: { properties?: Record<string, { type?: string; externalName?: string; externalNamespace?: string }> } };
  };
  return Object.entries(schema.definitions?.custom?.properties ?? {}).map(([variable, p]) => ({
    name: p.externalName ?? variable,
    urn: p.externalNamespace ?? '',
    type: normalizeType(p.type),
  }));
}
