import { Construct } from '../framework';
import { Problems } from '../validation';
import { DataOktaGroup, Group } from './bindings';

/** An Okta group, as the constructs that assign or push it refer to it. */
export interface IOktaGroup {
  /** The group's key in config: the construct id of what is declared for it, so addresses never depend on list order. */
  readonly key: string;
  /** The group's id (00g…), a literal or a reference. */
  readonly groupId: string;
  /** The group's name in Okta, when known. */
  readonly name?: string;
}

/** A group that exists already, referenced by id (declared elsewhere, or in tests). */
export function groupFromId(key: string, groupId: string, name?: string): IOktaGroup {
  return { key, groupId, ...(name !== undefined ? { name } : {}) };
}

export interface GroupDeclaration {
  /** How other constructs refer to the group. */
  readonly key: string;
  readonly name: string;
  /** @default 'existing' */
  readonly source?: 'existing' | 'create';
  /** Only for created groups. @default - none */
  readonly description?: string;
}

export interface OktaGroupsProps {
  readonly groups: readonly GroupDeclaration[];
}

/** Okta groups by key: existing ones looked up by name, others created (and owned) here. */
export class OktaGroups extends Construct {
  private readonly groups = new Map<string, IOktaGroup>();
  readonly created: Readonly<Record<string, Group>>;

  constructor(scope: Construct, id: string, props: OktaGroupsProps) {
    super(scope, id);
    const problems = new Problems('OktaGroups');
    const keys = new Set<string>();
    props.groups.forEach((g, i) => {
      problems.check(!keys.has(g.key), `groups[${i}].key: duplicate "${g.key}"`);
      problems.check(g.name.trim().length > 0, `groups[${i}].name: must not be empty`);
      problems.check((g.source ?? 'existing') === 'create' || g.description === undefined, `groups[${i}].description: only for created groups`);
      keys.add(g.key);
    });
    problems.throwIfAny();
    const created: Record<string, Group> = {};
    for (const group of props.groups) {
      if ((group.source ?? 'existing') === 'create') {
        created[group.key] = new Group(this, group.key, { name: group.name, ...(group.description ? { description: group.description } : {}) });
        this.groups.set(group.key, groupFromId(group.key, created[group.key]!.id, group.name));
      } else {
        const lookup = new DataOktaGroup(this, `${group.key}-lookup`, { name: group.name, type: 'OKTA_GROUP' });
        this.groups.set(group.key, groupFromId(group.key, lookup.id, group.name));
      }
    }
    this.created = created;
  }

  /** The group declared under `key`; throws for unknown keys. */
  group(key: string): IOktaGroup {
    const group = this.groups.get(key);
    if (group === undefined) throw new Error(`OktaGroups: unknown group key "${key}"`);
    return group;
  }
}
