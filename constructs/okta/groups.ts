import { Construct } from '../framework';
import { Problems } from '../validation';
import { DataOktaGroup, Group } from './bindings';

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
  private readonly ids = new Map<string, string>();
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
        this.ids.set(group.key, created[group.key]!.id);
      } else {
        this.ids.set(group.key, new DataOktaGroup(this, `${group.key}-lookup`, { name: group.name, type: 'OKTA_GROUP' }).id);
      }
    }
    this.created = created;
  }

  /** The group's id (a reference); throws for unknown keys. */
  idOf(key: string): string {
    const id = this.ids.get(key);
    if (id === undefined) throw new Error(`OktaGroups: unknown group key "${key}"`);
    return id;
  }
}
