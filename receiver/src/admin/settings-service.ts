import type { ActivityInput, SettingRecord, ScimStore } from '../store/types';
import { conflict } from './errors';

/** The provisioning settings and their defaults. */
export interface ProvisioningSettings {
  /** Invite users created by Okta by e-mail automatically. */
  readonly autoInvite: boolean;
}

export const DEFAULT_SETTINGS: ProvisioningSettings = { autoInvite: false };

export type SettingKey = keyof ProvisioningSettings;

export interface SettingView<T> {
  readonly value: T;
  readonly managed: boolean;
  readonly updated?: string;
}

export type SettingsView = { readonly [K in SettingKey]: SettingView<ProvisioningSettings[K]> };

/** Settings with an in-memory copy: read on every user creation, written rarely. */
export class SettingsService {
  private records = new Map<string, SettingRecord>();

  constructor(private readonly store: ScimStore) {}

  async reload(): Promise<void> {
    this.records = new Map((await this.store.settings.list()).map((r) => [r.key, r]));
  }

  get current(): ProvisioningSettings {
    const autoInvite = this.records.get('autoInvite')?.value;
    return { autoInvite: typeof autoInvite === 'boolean' ? autoInvite : DEFAULT_SETTINGS.autoInvite };
  }

  view(): SettingsView {
    const record = this.records.get('autoInvite');
    return {
      autoInvite: { value: this.current.autoInvite, managed: record?.managed ?? false, ...(record ? { updated: record.updated } : {}) },
    };
  }

  /** An admin's change; settings declared in the configuration file are refused with 409. */
  async update(changes: Partial<ProvisioningSettings>, actor: string): Promise<SettingsView> {
    const managed = (Object.keys(changes) as SettingKey[]).filter((key) => this.records.get(key)?.managed);
    if (managed.length > 0) {
      throw conflict(
        `${managed.join(', ')} ${managed.length > 1 ? 'are' : 'is'} managed by the receiver configuration file (RECEIVER_CONFIG); change it there.`,
        managed[0],
      );
    }
    for (const [key, value] of Object.entries(changes)) {
      const activity: ActivityInput = { actor, action: 'settings.update', resourceType: 'Settings', resourceId: key, summary: `${key} set to ${JSON.stringify(value)}` };
      await this.store.settings.set(key, value, false, activity);
    }
    await this.reload();
    return this.view();
  }

  /** Applies the configuration file's settings: those become managed, all others unmanaged. */
  async applyManaged(settings: Partial<ProvisioningSettings>): Promise<void> {
    for (const [key, value] of Object.entries(settings)) {
      const existing = this.records.get(key);
      if (existing?.managed && JSON.stringify(existing.value) === JSON.stringify(value)) continue;
      await this.store.settings.set(key, value, true, {
        actor: 'config',
        action: 'settings.update',
        resourceType: 'Settings',
        resourceId: key,
        summary: `${key} set to ${JSON.stringify(value)} by the configuration file`,
      });
    }
    await this.store.settings.unmanageExcept(Object.keys(settings));
    await this.reload();
  }
}
