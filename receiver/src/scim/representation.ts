import type { GroupRecord, UserRecord } from '../store/types';
import type { JsonObject } from './attribute-values';
import { schemasOf } from './resource-body';
import type { ResourceType } from '../schema/resource-types';

export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/** Parses `W/"3"` or `"3"` (If-Match); undefined for `*` or anything unparseable. */
export function versionFromEtag(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const match = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(header);
  return match ? Number(match[1]) : undefined;
}

function meta(kind: 'User' | 'Group', record: UserRecord | GroupRecord, location: string): JsonObject {
  return {
    resourceType: kind,
    created: record.created,
    lastModified: record.lastModified,
    location,
    version: etagOf(record.version),
  };
}

/** RFC 7643 representation of a user; `groups` is computed from memberships. */
export function renderUser(type: ResourceType, record: UserRecord, baseUrl: string): JsonObject {
  const groups = record.groups;
  const { userName, externalId, ...rest } = record.data;
  return {
    schemas: schemasOf(type, record.data),
    id: record.id,
    ...(externalId !== undefined ? { externalId } : {}),
    userName,
    ...rest,
    ...(groups
      ? {
          groups: groups.map((g) => ({ value: g.value, $ref: `${baseUrl}/Groups/${g.value}`, display: g.display, type: 'direct' })),
        }
      : {}),
    meta: meta('User', record, `${baseUrl}/Users/${record.id}`),
  };
}

export function renderGroup(type: ResourceType, record: GroupRecord, baseUrl: string): JsonObject {
  const { displayName, externalId, ...rest } = record.data;
  return {
    schemas: schemasOf(type, record.data),
    id: record.id,
    ...(externalId !== undefined ? { externalId } : {}),
    displayName,
    ...rest,
    ...(record.members
      ? {
          members: record.members.map((m) => ({ value: m.value, $ref: `${baseUrl}/Users/${m.value}`, display: m.display, type: 'User' })),
        }
      : {}),
    meta: meta('Group', record, `${baseUrl}/Groups/${record.id}`),
  };
}
