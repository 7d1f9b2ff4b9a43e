/**
 * An offline plan: two synthesized versions of a stack compared resource by resource (by Terraform
 * address), with replacements decided from the providers' force-new rules, including replacements
 * that cascade through references (an attribute that refers to a replaced resource is unknown until
 * apply; when it forces replacement, the referring resource is replaced too).
 */
import { absentMeaning, forcesReplacement } from './force-new';
import type { Attributes, StackJson } from './stack-json';
import { META_ARGUMENTS, dataOf, referencesIn, resourcesOf } from './stack-json';

export type Action = 'create' | 'update' | 'replace' | 'delete' | 'move';

export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly action: Action;
  /** Changed attribute paths (`group[1].id`, `spec.replicas`). */
  readonly changed: readonly string[];
  /** The changed paths that force replacement. */
  readonly forcedBy: readonly string[];
  /** Configuration before (state side) and after; absent for create / delete respectively. */
  readonly before?: Attributes;
  readonly after?: Attributes;
  /** For moves: the previous address. */
  readonly from?: string;
}

export interface OutputChange {
  readonly name: string;
  readonly action: 'create' | 'update' | 'delete';
  readonly sensitive: boolean;
}

export interface StackPlan {
  readonly stack: string;
  readonly status: 'added' | 'removed' | 'changed' | 'unchanged';
  readonly resources: readonly ResourceChange[];
  readonly outputs: readonly OutputChange[];
  /** Data sources whose configuration changed (their results may differ). */
  readonly changedData: readonly string[];
  readonly before?: StackJson;
  readonly after?: StackJson;
}

type Path = (string | number)[];

function pathText(path: Path): string {
  return path.reduce<string>((text, s) => (typeof s === 'number' ? `${text}[${s}]` : text ? `${text}.${s}` : s), '');
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Leaf paths where two values differ. A value that becomes unknown through `unknown` counts as changed. */
function differences(before: unknown, after: unknown, path: Path, unknown: ReadonlySet<string>, out: Path[]): void {
  if (canonical(before) === canonical(after)) {
    if (after !== undefined && [...referencesIn(after)].some((r) => unknown.has(r))) {
      if (isObject(after) || Array.isArray(after)) {
        for (const [k, v] of Object.entries(after)) differences((before as Record<string, unknown>)[k], v, [...path, Array.isArray(after) ? Number(k) : k], unknown, out);
      } else out.push(path);
    }
    return;
  }
  if (isObject(before) && isObject(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) differences(before[key], after[key], [...path, key], unknown, out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    after.forEach((v, i) => differences(before[i], v, [...path, i], unknown, out));
    return;
  }
  out.push(path);
}

function resourceDifferences(type: string, before: Attributes, after: Attributes, unknown: ReadonlySet<string>): Path[] {
  const out: Path[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (META_ARGUMENTS.has(key)) continue;
    let b = before[key];
    let a = after[key];
    const absent = absentMeaning(type, key);
    if (a === undefined && absent?.kind === 'keep') continue;
    if (absent?.kind === 'default') {
      b ??= absent.value;
      a ??= absent.value;
    }
    differences(b, a, [key], unknown, out);
  }
  return out;
}

function outputChanges(before: StackJson | undefined, after: StackJson | undefined, unknown: ReadonlySet<string>): OutputChange[] {
  const b = before?.output ?? {};
  const a = after?.output ?? {};
  const out: OutputChange[] = [];
  for (const name of new Set([...Object.keys(b), ...Object.keys(a)])) {
    const sensitive = a[name]?.sensitive === true || b[name]?.sensitive === true;
    if (!(name in b)) out.push({ name, action: 'create', sensitive });
    else if (!(name in a)) out.push({ name, action: 'delete', sensitive });
    else if (canonical(b[name]!.value) !== canonical(a[name]!.value) || [...referencesIn(a[name]!.value)].some((r) => unknown.has(r))) out.push({ name, action: 'update', sensitive });
  }
  return out.sort((x, y) => x.name.localeCompare(y.name));
}

/**
 * Plans one stack. `upstream`: references that change outside this stack (another stack's outputs,
 * `data.terraform_remote_state.<x>.outputs.<name>`).
 */
export function planStack(stack: string, before: StackJson | undefined, after: StackJson | undefined, upstream: ReadonlySet<string> = new Set()): StackPlan {
  const was = resourcesOf(before);
  const now = resourcesOf(after);
  const moves = new Map((after?.moved ?? []).map((m) => [m.to, m.from]));

  const dataBefore = dataOf(before);
  const dataAfter = dataOf(after);
  const unknown = new Set<string>(upstream);
  let changedData: string[] = [];
  let changes: ResourceChange[] = [];
  // Replacements make referring attributes unknown, which may replace more: iterate to a fixed point.
  for (let round = 0; round < 20; round++) {
    changedData = [...dataAfter.entries()]
      .filter(([address, config]) => {
        const old = dataBefore.get(address);
        return old !== undefined && resourceDifferences('', old, config, unknown).length > 0;
      })
      .map(([address]) => address);
    for (const d of changedData) unknown.add(d);

    changes = [];
    for (const [address, resource] of now) {
      const from = moves.get(address);
      const previous = was.get(address) ?? (from ? was.get(from) : undefined);
      if (!previous) {
        changes.push({ address, type: resource.type, name: resource.name, action: 'create', changed: [], forcedBy: [], after: resource.attributes });
        continue;
      }
      const paths = resourceDifferences(resource.type, previous.attributes, resource.attributes, unknown);
      const forced = paths.filter((p) => forcesReplacement(resource.type, p));
      const action: Action | undefined = forced.length > 0 ? 'replace' : paths.length > 0 ? 'update' : from && !was.has(address) ? 'move' : undefined;
      if (action) {
        changes.push({
          address,
          type: resource.type,
          name: resource.name,
          action,
          changed: paths.map(pathText),
          forcedBy: forced.map(pathText),
          before: previous.attributes,
          after: resource.attributes,
          ...(from && !was.has(address) ? { from } : {}),
        });
      }
    }
    const movedAway = new Set([...moves.entries()].filter(([to]) => now.has(to)).map(([, from]) => from));
    for (const [address, resource] of was) {
      if (!now.has(address) && !movedAway.has(address)) changes.push({ address, type: resource.type, name: resource.name, action: 'delete', changed: [], forcedBy: [], before: resource.attributes });
    }
    const replaced = changes.filter((c) => c.action === 'replace').map((c) => c.address);
    const size = unknown.size;
    for (const r of replaced) unknown.add(r);
    if (unknown.size === size) break;
  }

  const outputs = outputChanges(before, after, unknown);
  const order: Record<Action, number> = { delete: 0, replace: 1, update: 2, move: 3, create: 4 };
  changes.sort((x, y) => order[x.action] - order[y.action] || x.address.localeCompare(y.address));
  const status = !before ? 'added' : !after ? 'removed' : changes.length > 0 || outputs.length > 0 ? 'changed' : 'unchanged';
  return { stack, status, resources: changes, outputs, changedData, ...(before ? { before } : {}), ...(after ? { after } : {}) };
}

const REMOTE_STATE_PREFIX = 'cross-stack-reference-input-';

/** Which other stacks a stack reads through remote state (cdktf cross-stack references). */
function upstreamStacks(stack: StackJson | undefined): string[] {
  return Object.keys(stack?.data?.terraform_remote_state ?? {})
    .filter((n) => n.startsWith(REMOTE_STATE_PREFIX))
    .map((n) => n.slice(REMOTE_STATE_PREFIX.length));
}

/** Plans every stack of both versions; changed outputs of a stack make the stacks that read them see a change. */
export function planStacks(before: Readonly<Record<string, StackJson>>, after: Readonly<Record<string, StackJson>>): StackPlan[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const plans = new Map<string, StackPlan>();
  const planOne = (name: string, seen: Set<string>): StackPlan => {
    const done = plans.get(name);
    if (done) return done;
    const upstream = new Set<string>();
    for (const source of upstreamStacks(after[name])) {
      if (seen.has(source) || !names.includes(source)) continue;
      const sourcePlan = planOne(source, new Set([...seen, name]));
      for (const output of sourcePlan.outputs) upstream.add(`data.terraform_remote_state.${REMOTE_STATE_PREFIX}${source}.outputs.${output.name}`);
    }
    const plan = planStack(name, before[name], after[name], upstream);
    plans.set(name, plan);
    return plan;
  };
  return names.map((n) => planOne(n, new Set([n])));
}
