/**
 * What a planned change does to people, groups, attribute values and the receiver's data, in plain
 * words. Rules key on resource TYPE and attributes (group names, logins, attribute indexes), never on
 * construct ids or addresses, so they keep working when addresses change.
 */
import type { ResourceChange, StackPlan } from './plan';
import type { Attributes, StackJson } from './stack-json';
import { dataOf, preventsDestroy, referencesIn, resourcesOf } from './stack-json';

export interface Consequence {
  /** `review`: someone must look (people lose access, values or data are deleted); `note`: good to know. */
  readonly severity: 'review' | 'note';
  readonly text: string;
  readonly addresses: readonly string[];
}

const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const APP_SUBRESOURCES = new Set([
  'okta_app_user',
  'okta_app_group_assignment',
  'okta_app_group_assignments',
  'okta_app_user_schema_property',
  'okta_app_user_base_schema_property',
  'okta_app_connection',
  'okta_app_features',
]);

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);
const quoted = (s: string) => `"${s}"`;
const list = (items: readonly string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/** Reads names behind references (`${data.okta_group.X.id}` → the group's name) in either version. */
class Names {
  constructor(private readonly stacks: readonly (StackJson | undefined)[]) {}

  private attributesOf(address: string): Attributes | undefined {
    for (const stack of this.stacks) {
      const found = address.startsWith('data.') ? dataOf(stack).get(address) : resourcesOf(stack).get(address)?.attributes;
      if (found) return found;
    }
    return undefined;
  }

  /** The group a `${…okta_group….id}` expression designates: its name, else the expression. */
  group(expression: unknown): string {
    for (const ref of referencesIn(expression)) {
      const name = str(this.attributesOf(ref)?.name);
      if (name) return name;
    }
    return str(expression) ?? '?';
  }

  /** The login of an okta_app_user: `username`, else the login its `data.okta_user` looks up. */
  person(attributes: Attributes | undefined): string {
    const username = str(attributes?.username);
    if (username && !username.includes('${')) return username;
    for (const ref of referencesIn(attributes?.user_id)) {
      const search = this.attributesOf(ref)?.search as { value?: unknown }[] | undefined;
      const value = str(search?.[0]?.value);
      if (value) return value;
    }
    return username ?? str(attributes?.user_id) ?? '?';
  }
}

/** Every group assigned to the app in a stack version: group name (lower-case) → name and address. */
function assignedGroups(stack: StackJson | undefined, names: Names): Map<string, { name: string; address: string }> {
  const out = new Map<string, { name: string; address: string }>();
  for (const [address, r] of resourcesOf(stack)) {
    const ids =
      r.type === 'okta_app_group_assignments'
        ? ((r.attributes.group as { id?: unknown }[] | undefined) ?? []).map((g) => g.id)
        : r.type === 'okta_app_group_assignment'
          ? [r.attributes.group_id]
          : [];
    for (const id of ids) {
      const name = names.group(id);
      out.set(name.toLowerCase(), { name, address });
    }
  }
  return out;
}

function assignedPeople(stack: StackJson | undefined, names: Names): Map<string, { login: string; address: string }> {
  const out = new Map<string, { login: string; address: string }>();
  for (const [address, r] of resourcesOf(stack)) {
    if (r.type !== 'okta_app_user') continue;
    const login = names.person(r.attributes);
    out.set(login.toLowerCase(), { login, address });
  }
  return out;
}

/** A random_password of one stack: `<stack>/<address>`. */
type QualifiedSecret = string;
const qualified = (stack: string, address: string): QualifiedSecret => `${stack}/${address}`;
const addressOf = (secret: QualifiedSecret) => secret.slice(secret.indexOf('/') + 1);
const stackOf = (secret: QualifiedSecret) => secret.slice(0, secret.indexOf('/'));
const REMOTE_STATE = /^data\.terraform_remote_state\.cross-stack-reference-input-(.+)\.outputs\.(.+)$/;

/** One version (before or after) of every stack of the review, by name. */
type Version = Readonly<Record<string, StackJson | undefined>>;

/**
 * The random_password resources a value refers to, followed across stacks: a cdktf cross-stack
 * reference (`data.terraform_remote_state.cross-stack-reference-input-<stack>.outputs.<output>`) is
 * resolved to what that output of the other stack refers to.
 */
function passwordsIn(value: unknown, stack: string, version: Version, into: Set<QualifiedSecret>, depth = 0): void {
  for (const ref of referencesIn(value)) {
    if (ref.startsWith('random_password.')) into.add(qualified(stack, ref));
    const remote = REMOTE_STATE.exec(ref);
    if (remote && depth < 5) {
      const [, source, output] = remote;
      const outputValue = version[source!]?.output?.[output!]?.value;
      if (outputValue !== undefined) passwordsIn(outputValue, source!, version, into, depth + 1);
    }
  }
}

/**
 * The random_password resources whose value reaches a receiver as `variable` (SCIM_TOKEN_SHA256…), in
 * any stack, each with the stacks that hand it to the receiver.
 */
function secretsFeeding(version: Version, variable: string): Map<QualifiedSecret, Set<string>> {
  const out = new Map<QualifiedSecret, Set<string>>();
  for (const [stack, json] of Object.entries(version)) {
    const found = new Set<QualifiedSecret>();
    const visit = (value: unknown, key?: string) => {
      if (typeof value === 'string') {
        if (key === variable || value.startsWith(`${variable}=`)) passwordsIn(value, stack, version, found);
      } else if (Array.isArray(value)) value.forEach((v) => visit(v, key));
      else if (value && typeof value === 'object') {
        const record = value as Record<string, unknown>;
        // Kubernetes env entries: { name: VARIABLE, value: … }.
        if (record.name === variable && typeof record.value === 'string') visit(record.value, variable);
        for (const [k, v] of Object.entries(record)) visit(v, k);
      }
    };
    for (const [, r] of resourcesOf(json)) visit(r.attributes);
    for (const secret of found) out.set(secret, new Set([...(out.get(secret) ?? []), stack]));
  }
  return out;
}

/** The token Okta is given: an Okta stack's token output (console mode) or its okta_app_connection (api mode). */
function tokensHandedToOkta(version: Version): Map<QualifiedSecret, Set<string>> {
  const out = new Map<QualifiedSecret, Set<string>>();
  for (const [stack, json] of Object.entries(version)) {
    const resources = [...resourcesOf(json)];
    if (!resources.some(([, r]) => r.type.startsWith('okta_'))) continue;
    const found = new Set<QualifiedSecret>();
    for (const [name, output] of Object.entries(json?.output ?? {})) if (/token/i.test(name) && !/admin/i.test(name)) passwordsIn(output.value, stack, version, found);
    for (const [, r] of resources) if (r.type === 'okta_app_connection') passwordsIn(r.attributes, stack, version, found);
    for (const secret of found) out.set(secret, new Set([...(out.get(secret) ?? []), stack]));
  }
  return out;
}

/** `random_password.ScimToken_token-b_0CA24BD2` → `random_password.ScimToken_token-b_0CA24BD2 (slot token-b)`. */
const slotted = (address: string) => {
  const slot = /_(token-[a-z])_/.exec(address)?.[1];
  return slot ? `${address} (slot ${slot})` : address;
};

interface ReceiverConfig {
  urn?: string;
  attributes: Map<string, string>;
}

/** The receiver configuration a stack version hands the receiver (env SCIM_EXTENSION_URN, RECEIVER_CONFIG_JSON or the config map). */
function receiverConfig(stack: StackJson | undefined): ReceiverConfig | undefined {
  let urn: string | undefined;
  let json: string | undefined;
  const visit = (value: unknown, key?: string) => {
    if (typeof value === 'string') {
      if (value.startsWith('SCIM_EXTENSION_URN=')) urn = value.slice('SCIM_EXTENSION_URN='.length);
      else if (value.startsWith('RECEIVER_CONFIG_JSON=')) json = value.slice('RECEIVER_CONFIG_JSON='.length);
      else if (key === 'config.json' || key === 'RECEIVER_CONFIG_JSON') json = value;
    } else if (Array.isArray(value)) value.forEach((v) => visit(v, key));
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (record.name === 'SCIM_EXTENSION_URN' && typeof record.value === 'string') urn = record.value;
      for (const [k, v] of Object.entries(record)) visit(v, k);
    }
  };
  for (const [, r] of resourcesOf(stack)) visit(r.attributes);
  if (urn === undefined && json === undefined) return undefined;
  const attributes = new Map<string, string>();
  try {
    for (const a of (JSON.parse(json ?? '{}') as { attributes?: { name: string; type?: string }[] }).attributes ?? []) attributes.set(a.name, a.type ?? 'string');
  } catch {
    // Not JSON (an expression): nothing to compare.
  }
  return { ...(urn !== undefined ? { urn } : {}), attributes };
}

function valueAt(attributes: Attributes | undefined, path: string): unknown {
  let current: unknown = attributes;
  for (const segment of path.replace(/\[(\d+)\]/g, '.$1').split('.')) {
    if (current === undefined || current === null) return undefined;
    current = Array.isArray(current) ? current[Number(segment)] : (current as Record<string, unknown>)[segment];
  }
  return current;
}

const SECRET_PATH = /token|password|secret|private_key/i;

/** `type: "integer" → "string"` for the paths that forced a replacement (secrets never shown). */
function describeChanges(change: ResourceChange, paths: readonly string[]): string {
  return paths
    .map((p) => {
      if (SECRET_PATH.test(p)) return `${p} (sensitive)`;
      const before = valueAt(change.before, p);
      const after = valueAt(change.after, p);
      if (typeof after === 'string' && after === before && after.includes('${')) return `${p} (known after apply)`;
      // A reference is shown as what it refers to (`data.okta_group.X.id`); literals as JSON.
      const shorten = (t: string) => (t.length > 100 ? `${t.slice(0, 97)}…` : t);
      const show = (v: unknown) =>
        shorten(typeof v === 'string' && /^\$\{[^}]*\}$/.test(v) ? v.slice(2, -1) : typeof v === 'string' && v.includes('${') ? 'an expression' : (JSON.stringify(v) ?? 'unset'));
      return before !== undefined || after !== undefined ? `${p}: ${show(before)} → ${show(after)}` : p;
    })
    .join(', ');
}

/**
 * The consequences of one stack's plan. `review`: the plans of every stack of the review, for what
 * crosses stacks (the SCIM token slots live in scim-token-<env>, the receiver accepts their hashes,
 * the Okta stack hands one of them to Okta). @default - this plan alone
 */
export function consequencesOf(plan: StackPlan, review: readonly StackPlan[] = [plan]): Consequence[] {
  const out: Consequence[] = [];
  const add = (severity: Consequence['severity'], text: string, ...addresses: string[]) => out.push({ severity, text, addresses });
  // Names behind references are read in the version the value comes from.
  const names = new Names([plan.after, plan.before]);
  const oldNames = new Names([plan.before, plan.after]);
  const byAddress = new Map(plan.resources.map((c) => [c.address, c]));
  const changesOf = (type: string) => plan.resources.filter((c) => c.type === type);
  /** Whether a moved block brought a resource to this address (then it keeps its state). */
  const movedTo = (address: string) => byAddress.get(address)?.from !== undefined;
  const replacedOrDeleted = (address: string) => ['replace', 'delete'].includes(byAddress.get(address)?.action ?? '');

  // Group assignments, as sets of groups: robust to one resource for all groups or one per group.
  const groupsBefore = assignedGroups(plan.before, oldNames);
  const groupsAfter = assignedGroups(plan.after, names);
  for (const [key, g] of groupsBefore) {
    const now = groupsAfter.get(key);
    if (!now) add('review', `Members of ${quoted(g.name)} lose the app: the receiver gets deactivate requests for them (PATCH active=false), unless they are also assigned directly or through another group.`, g.address);
    else if (now.address !== g.address && !movedTo(now.address)) {
      add('review', `The assignment of ${quoted(g.name)} moves from ${g.address} to ${now.address} without a moved block: Terraform unassigns the group and assigns it again, so its members get deactivate and then reactivate requests. Add a moved block (cdktf: moveTo) to keep it.`, g.address, now.address);
    } else if (replacedOrDeleted(g.address)) {
      add('review', `The assignment of ${quoted(g.name)} is re-created: its members may get deactivate and then reactivate requests while it applies.`, g.address);
    }
  }
  for (const [key, g] of groupsAfter) {
    if (!groupsBefore.has(key)) add('note', `Members of ${quoted(g.name)} get the app: the receiver gets a lookup by userName, then a create (or a reactivation of a user it already knows).`, g.address);
  }

  // People assigned directly.
  const peopleBefore = assignedPeople(plan.before, oldNames);
  const peopleAfter = assignedPeople(plan.after, names);
  for (const [key, p] of peopleBefore) {
    const now = peopleAfter.get(key);
    if (!now) add('review', `${p.login} loses the app: the receiver gets a deactivate request (PATCH active=false); the user stays in the receiver, inactive.`, p.address);
    else if (now.address !== p.address && !movedTo(now.address)) {
      add('review', `The direct assignment of ${p.login} moves from ${p.address} to ${now.address}: Terraform changes or re-creates both addresses, so ${p.login} may be unassigned and re-assigned (deactivate, then reactivate requests). Addresses keyed by login avoid this.`, p.address, now.address);
    }
  }
  for (const [key, p] of peopleAfter) {
    if (!peopleBefore.has(key)) add('note', `${p.login} gets the app: the receiver gets a lookup by userName, then a create (or a reactivation).`, p.address);
  }

  // Group push.
  const pushName = (a: Attributes | undefined, n: Names = names) => str(a?.target_group_name) ?? n.group(a?.source_group_id);
  for (const c of changesOf('okta_push_group')) {
    const deletesDownstream = c.before ? (c.before.delete_target_group_on_destroy ?? true) !== false : false;
    const oldName = pushName(c.before, oldNames);
    const newName = pushName(c.after);
    if (c.action === 'delete') {
      add(
        'review',
        deletesDownstream
          ? `Group push ${quoted(oldName)} is removed and the group ${quoted(oldName)} in the application is deleted (DELETE /Groups/{id}, delete_target_group_on_destroy); its members keep their accounts.`
          : `Group push ${quoted(oldName)} is removed: the group ${quoted(oldName)} stays in the application, but Okta no longer updates its name or members.`,
        c.address,
      );
    } else if (c.action === 'replace') {
      const oldSource = oldNames.group(c.before?.source_group_id);
      const newSource = names.group(c.after?.source_group_id);
      const what = oldSource !== newSource ? ` It now pushes ${quoted(newSource)} instead of ${quoted(oldSource)}.` : '';
      add(
        'review',
        deletesDownstream
          ? `Group push ${quoted(oldName)} is replaced (${describeChanges(c, c.forcedBy)}): the group ${quoted(oldName)} in the application is deleted and re-created as ${quoted(newName)} with a new id, then its members are pushed again.${what}`
          : oldName !== newName
            ? `Group push ${quoted(oldName)} is replaced (${describeChanges(c, c.forcedBy)}): the application gets a group ${quoted(newName)}; ${quoted(oldName)} stays there, no longer updated.${what}`
            : `Group push ${quoted(oldName)} is replaced (${describeChanges(c, c.forcedBy)}): Okta unlinks it and pushes again, finding ${quoted(newName)} in the application by name.${what}`,
        c.address,
      );
    } else if (c.action === 'create') {
      add('note', `Okta pushes ${quoted(names.group(c.after?.source_group_id))} as ${quoted(newName)}: the receiver gets a lookup by displayName, a create (or a link to the group of that name) and membership PATCHes.`, c.address);
    }
  }

  // App-user attributes.
  const urnChanges = new Map<string, string[]>();
  for (const c of changesOf('okta_app_user_schema_property')) {
    const index = str(c.after?.index) ?? str(c.before?.index) ?? c.name;
    if (c.action === 'replace') {
      const fromUrn = str(c.before?.external_namespace);
      const toUrn = str(c.after?.external_namespace);
      if (fromUrn && toUrn && fromUrn !== toUrn && fromUrn !== ENTERPRISE_URN && toUrn !== ENTERPRISE_URN) {
        const key = `${fromUrn} → ${toUrn}`;
        urnChanges.set(key, [...(urnChanges.get(key) ?? []), index]);
      }
      add(
        'review',
        `App-user attribute ${quoted(index)} is replaced (${describeChanges(c, c.forcedBy)}): its values are deleted on every app user, and re-creating the same name can fail for a while (provider issue #1974).`,
        c.address,
      );
      if (preventsDestroy(c.after)) add('review', `${c.address} has lifecycle.prevent_destroy: the plan stops ("Instance cannot be destroyed") until the protection is lifted for this change.`, c.address);
    } else if (c.action === 'delete') {
      const protectedNote = preventsDestroy(c.before) ? ' (prevent_destroy does not protect a resource removed from the configuration)' : '';
      add('review', `App-user attribute ${quoted(index)} is deleted: its values are deleted on every app user and Okta stops sending ${str(c.before?.external_name) ?? index}${protectedNote}.`, c.address);
    } else if (c.action === 'create') {
      add('note', `App-user attribute ${quoted(index)} (${str(c.after?.type) ?? 'string'}) is added: Okta sends it as ${quoted(str(c.after?.external_name) ?? index)} under ${str(c.after?.external_namespace) ?? '?'}.`, c.address);
    } else if (c.action === 'update') {
      add('note', `App-user attribute ${quoted(index)} changes in place: ${describeChanges(c, c.changed)}.`, c.address);
    }
  }
  for (const [change, indexes] of urnChanges) {
    const [from, to] = change.split(' → ');
    add(
      'review',
      `The custom attributes' extension URN changes from ${from} to ${to}: ${list(indexes.map(quoted))} are re-created in Okta (values deleted) and Okta sends them under the new URN; the receiver's SCIM_EXTENSION_URN must be the new one too, or their values are dropped as undeclared.`,
    );
  }

  // Profile mappings.
  for (const c of changesOf('okta_profile_mapping')) {
    const mapped = (a: Attributes | undefined) => ((a?.mappings as { id?: unknown; expression?: unknown }[] | undefined) ?? []).map((m) => ({ id: str(m.id) ?? '?', expression: str(m.expression) ?? '' }));
    if (c.action === 'delete' || c.action === 'replace') {
      add(
        'review',
        `The profile mapping to the app is ${c.action === 'delete' ? 'destroyed' : 'replaced'}: every mapped attribute (${list(mapped(c.before).map((m) => m.id))}) becomes null on every app user (provider issue #1341), and Okta pushes those nulls to the receiver.`,
        c.address,
      );
    } else if (c.action === 'update') {
      const before = new Map(mapped(c.before).map((m) => [m.id, m.expression]));
      const after = new Map(mapped(c.after).map((m) => [m.id, m.expression]));
      const keeps = c.after?.delete_when_absent === false;
      for (const [id, expression] of before) {
        if (!after.has(id)) add('note', `${quoted(id)} is no longer mapped by this stack${keeps ? ' (delete_when_absent is false: Okta keeps the mapping as it is)' : ': its value becomes null on every app user'}.`, c.address);
        else if (after.get(id) !== expression) add('note', `${quoted(id)} is mapped from ${after.get(id)} instead of ${expression}: Okta pushes the new values on the next profile update.`, c.address);
      }
      for (const [id, expression] of after) if (!before.has(id)) add('note', `${quoted(id)} is mapped from ${expression}.`, c.address);
    }
  }

  // The app itself, its connection and features.
  for (const c of plan.resources.filter((r) => r.type.startsWith('okta_app_') && !APP_SUBRESOURCES.has(r.type))) {
    if (c.action !== 'delete' && c.action !== 'replace') continue;
    const label = str(c.before?.label) ?? c.name;
    add(
      'review',
      `The Okta app ${quoted(label)} is ${c.action === 'delete' ? 'deleted' : `replaced (${describeChanges(c, c.forcedBy)}): re-created with a new id`}: its assignments, app-user profiles, attributes and provisioning settings go with it; the receiver keeps its users, but Okta no longer manages them (a new app starts again with lookups).`,
      c.address,
    );
  }
  for (const c of changesOf('okta_app_connection')) {
    if (c.action === 'delete') add('note', 'The provisioning connection leaves the stack: the provider only warns on destroy; Okta keeps the connection as it is.', c.address);
    const oldUrl = str(c.before?.base_url);
    const newUrl = str(c.after?.base_url);
    if (c.action !== 'create' && c.action !== 'delete' && oldUrl !== newUrl) add('review', `Okta sends SCIM requests to ${newUrl} instead of ${oldUrl}.`, c.address);
    if (c.changed.some((p) => p.startsWith('profile.token'))) {
      add('review', 'Okta gets a new SCIM token through the API (okta_app_connection): from this apply on, Okta authenticates with the new token; the receiver must accept it already.', c.address);
    }
  }
  for (const c of changesOf('okta_app_features')) {
    if (c.action === 'update' || c.action === 'replace') {
      add('note', `Provisioning features change: ${describeChanges(c, c.changed)}.`, c.address);
      if (c.changed.some((p) => /deactivate/.test(p) && valueAt(c.after, p) === 'DISABLED')) add('review', 'Deactivation is turned off: people who lose the app are no longer deactivated in the receiver.', c.address);
    }
  }
  // An Okta stack's token output is what an operator pastes into the app (console mode).
  const isOktaStack = [...resourcesOf(plan.after ?? plan.before)].some(([, r]) => r.type.startsWith('okta_'));
  for (const o of plan.outputs) {
    if (/token/i.test(o.name) && o.action === 'update' && !/admin/i.test(o.name) && isOktaStack) {
      add('review', `The SCIM token handed to Okta changes (output ${o.name}): in console mode, paste the new value into the app (Provisioning > Integration > API Token); until then Okta keeps the old token.`);
    }
  }

  // Okta groups created by the stack.
  for (const c of changesOf('okta_group')) {
    if (c.action === 'delete' || c.action === 'replace') {
      add('review', `Okta group ${quoted(str(c.before?.name) ?? c.name)} is ${c.action === 'delete' ? 'deleted' : 're-created with a new id'}: its memberships are lost, and its members lose every app assigned through it.`, c.address);
    }
  }

  // Tokens and keys of the receiver, followed across stacks.
  const before: Version = Object.fromEntries(review.map((p) => [p.stack, p.before]));
  const after: Version = Object.fromEntries(review.map((p) => [p.stack, p.after]));
  const unchanged = (secret: QualifiedSecret) => {
    const owner = review.find((p) => p.stack === stackOf(secret));
    return !owner || !owner.resources.some((c) => c.address === addressOf(secret) && c.action !== 'update');
  };
  const tokensBefore = secretsFeeding(before, 'SCIM_TOKEN_SHA256');
  const tokensAfter = secretsFeeding(after, 'SCIM_TOKEN_SHA256');
  const isToken = (address: string) => tokensBefore.has(qualified(plan.stack, address)) || tokensAfter.has(qualified(plan.stack, address));
  const tokenChanges = plan.resources.filter((c) => c.type === 'random_password' && isToken(c.address) && c.action !== 'update');
  if (tokenChanges.length > 0 && plan.status === 'added') {
    add('note', `The receiver gets its first SCIM token (${list(tokenChanges.map((c) => slotted(c.address)))}), handed to Okta by reference.`, ...tokenChanges.map((c) => c.address));
  } else if (tokenChanges.length > 0) {
    const generated = tokenChanges.filter((c) => c.action === 'create' || c.action === 'replace').map((c) => slotted(c.address));
    const survivors = [...tokensBefore.keys()].filter((t) => stackOf(t) === plan.stack && tokensAfter.has(t) && unchanged(t));
    // The token Okta holds today (as the base declares it): the rotation is safe only when it survives.
    const held = [...tokensHandedToOkta(before).keys()].filter((t) => stackOf(t) === plan.stack);
    // Where the new value goes: the receivers that accept it, then the Okta stacks that hand it over.
    const consumers = (map: Map<QualifiedSecret, Set<string>>) =>
      [...map].filter(([t]) => stackOf(t) === plan.stack).flatMap(([, stacks]) => [...stacks].filter((s) => s !== plan.stack));
    const downstream = [...new Set([...consumers(tokensAfter), ...consumers(tokensHandedToOkta(after))])];
    const order = downstream.length > 0 ? ` Apply ${[plan.stack, ...downstream].join(' → ')} in this order.` : '';
    const heldSurvives = held.filter((t) => survivors.includes(t));
    add(
      'review',
      `SCIM token rotation: ${generated.length} new token value(s) generated (${list(generated)}). ` +
        (held.length > 0 && heldSurvives.length > 0
          ? `${list(heldSurvives.map((t) => slotted(addressOf(t))))}, the token Okta holds, keeps its value and stays accepted by the receiver: Okta keeps working until it is given the new token.${order}`
          : held.length > 0
            ? `The token Okta holds (${list(held.map((t) => slotted(addressOf(t))))}) does not keep its value: Okta gets 401 from the receiver as soon as the new hashes reach it, until Okta has the new token.${order}`
            : survivors.length === 0
              ? 'None of the tokens the receiver accepts today keeps its value: the token Okta holds stops working as soon as this stack is applied, and Okta gets 401 until it has the new token.'
              : `${list(survivors.map((t) => slotted(addressOf(t))))} keeps its value and stays accepted: Okta keeps working while it holds that token.`),
      ...tokenChanges.map((c) => c.address),
    );
  }
  const keysBefore = secretsFeeding(before, 'ADMIN_API_KEY_SHA256');
  for (const c of plan.resources.filter((r) => r.type === 'random_password' && keysBefore.has(qualified(plan.stack, r.address)) && (r.action === 'replace' || r.action === 'delete'))) {
    add('note', 'The admin API key is regenerated: the old key stops working; read the new admin_api_key output.', c.address);
  }

  // Receiver data and workload.
  for (const c of plan.resources) {
    if (c.action !== 'delete' && c.action !== 'replace') {
      if (c.type === 'kubernetes_stateful_set_v1' || c.type === 'kubernetes_deployment_v1') {
        const replicasPath = c.changed.find((p) => p === 'spec.replicas' || /^spec\[0\]\.replicas$/.test(p));
        if (replicasPath) add('review', `Receiver replicas: ${JSON.stringify(valueAt(c.before, replicasPath))} → ${JSON.stringify(valueAt(c.after, replicasPath))}.`, c.address);
      }
      continue;
    }
    const verb = c.action === 'delete' ? 'deleted' : `replaced (${describeChanges(c, c.forcedBy)})`;
    const name = str(valueAt(c.before, 'name')) ?? str(valueAt(c.before, 'metadata.name')) ?? str(valueAt(c.before, 'metadata[0].name')) ?? c.name;
    const protection = c.action === 'replace' && preventsDestroy(c.after) ? ' lifecycle.prevent_destroy is set: the plan stops until the protection is lifted for this change.' : '';
    switch (c.type) {
      case 'docker_volume':
        add('review', `The receiver's data volume ${quoted(name)} is ${verb}: the SQLite database (users, groups, tokens, attribute values, activity) is lost.${protection}`, c.address);
        break;
      case 'kubernetes_namespace_v1':
        add('review', `Namespace ${quoted(name)} is ${verb}: everything in it goes, including the persistent volume claim that holds the receiver's SQLite database.${protection}`, c.address);
        break;
      case 'kubernetes_persistent_volume_claim_v1':
        add('review', `Persistent volume claim ${quoted(name)} is ${verb}: the receiver's SQLite database on it is lost.${protection}`, c.address);
        break;
      case 'kubernetes_stateful_set_v1':
        add(
          'review',
          c.action === 'delete'
            ? `StatefulSet ${quoted(name)} is deleted: its data claim is retained (whenDeleted: Retain) but no longer used; the SQLite data is not migrated anywhere.`
            : `StatefulSet ${quoted(name)} is ${verb}: the receiver restarts; its retained claim is reused as it is (a changed claim template neither resizes nor moves it).${protection}`,
          c.address,
        );
        break;
      case 'docker_container':
        add('note', `The receiver container ${quoted(name)} is re-created (${describeChanges(c, c.forcedBy)}): a short interruption (Okta retries); its data volume stays.`, c.address);
        break;
      case 'docker_image':
        add('note', `The receiver image ${quoted(name)} is rebuilt.`, c.address);
        break;
    }
  }

  // The receiver's configuration: extension URN and attributes.
  const configBefore = receiverConfig(plan.before);
  const configAfter = receiverConfig(plan.after);
  if (configBefore && configAfter) {
    if (configBefore.urn && configAfter.urn && configBefore.urn !== configAfter.urn) {
      add('review', `The receiver's extension URN changes from ${configBefore.urn} to ${configAfter.urn}: custom attributes are published and accepted under the new URN; values Okta sends under the old one are dropped as undeclared.`);
    }
    for (const [name, type] of configBefore.attributes) {
      const now = configAfter.attributes.get(name);
      if (now === undefined) add('note', `The receiver no longer declares ${quoted(name)} from code: it becomes an admin attribute and keeps its values.`);
      else if (now !== type) add('review', `The receiver's attribute ${quoted(name)} changes type ${type} → ${now}: stored values are not converted, and values of the old type are refused.`);
    }
    for (const [name, type] of configAfter.attributes) if (!configBefore.attributes.has(name)) add('note', `The receiver declares ${quoted(name)} (${type}).`);
  }

  // Anything else destroyed or replaced, so that nothing goes unmentioned.
  const mentioned = new Set(out.flatMap((c) => c.addresses));
  for (const c of plan.resources) {
    if ((c.action === 'delete' || c.action === 'replace') && !mentioned.has(c.address)) {
      add('note', `${c.address} is ${c.action === 'delete' ? 'destroyed' : `replaced (${describeChanges(c, c.forcedBy)})`}.`, c.address);
    }
  }
  return out;
}
