import type { IConstruct, ITerraformDependable } from '../framework';
import { Annotations } from '../framework';

/**
 * The one rule for everything that needs provisioning enabled on the app (custom attributes, mappings,
 * assignments, group push): declared only once provisioning is confirmed (attributes created earlier
 * have no external namespace and are left out of SCIM requests; users assigned earlier are never
 * provisioned automatically), and then after the resources that enable it (the features in api mode).
 * The app's ProvisioningConnection opens it; every gated construct reads it from the app reference.
 */
export class ProvisioningGate {
  private state?: { readonly open: boolean; readonly after: readonly ITerraformDependable[]; readonly by: string };
  /** A construct read the gate before it was declared, and so declared nothing. */
  private readClosed = false;

  /** Called once, by the app's ProvisioningConnection (`by` is its construct path). */
  declare(by: string, open: boolean, after: readonly ITerraformDependable[] = []): void {
    if (this.state) throw new Error(`ProvisioningGate: provisioning of this app is already declared by ${this.state.by}; declare one ProvisioningConnection per app`);
    if (this.readClosed && open) throw new Error(`ProvisioningGate: ${by} opens provisioning after a construct already waited on it; declare the ProvisioningConnection first`);
    this.state = { open, after: [...after], by };
  }

  /** Whether provisioning is enabled on the app: false until a confirmed ProvisioningConnection says so. */
  get isOpen(): boolean {
    return this.state?.open ?? false;
  }

  /** What a gated resource depends on (empty in console mode: enabling happened in the console). */
  get dependsOn(): readonly ITerraformDependable[] {
    return this.state?.after ?? [];
  }

  /**
   * Whether `scope` may declare its resources now; when not, and it has `waiting` (a sentence naming
   * what waits), that sentence becomes a warning on `scope`.
   */
  admits(scope: IConstruct, waiting?: string): boolean {
    if (!this.state) this.readClosed = true;
    if (!this.isOpen && waiting) Annotations.of(scope).addWarning(waiting);
    return this.isOpen;
  }
}
