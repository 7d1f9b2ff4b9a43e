import { Construct, Fn } from '../framework';
import { Problems } from '../validation';
import { Password } from './bindings';

export type TokenSlot = 'a' | 'b';

export interface ScimTokensProps {
  /**
   * Generation of the SCIM token: increase it by one to rotate. Odd generations live in slot `a`,
   * even ones in slot `b`; only the slot of the new generation changes its keepers, so Terraform
   * regenerates that one and keeps the other (the token Okta holds until it is given the new one).
   * @default 1
   */
  readonly generation?: number;
}

/** The keepers of both slots at `generation`: each slot keeps the latest generation of its parity. */
export function slotGenerations(generation: number): Record<TokenSlot, number> {
  const odd = generation % 2 === 1;
  return { a: odd ? generation : generation - 1, b: odd ? generation - 1 : generation };
}

/**
 * The SCIM bearer token in two fixed slots (`token-a`, `token-b`: random_password resources whose
 * addresses never change). The receiver accepts both; Okta holds the newest. A rotation regenerates
 * only the other slot, so the token Okta holds stays accepted until Okta has the new one: no 401.
 */
export class ScimTokens extends Construct {
  readonly generation: number;
  /** The slot of the current generation: the token Okta is given. */
  readonly currentSlot: TokenSlot;
  readonly slots: Readonly<Record<TokenSlot, Password>>;

  constructor(scope: Construct, id: string, props: ScimTokensProps = {}) {
    super(scope, id);
    this.generation = props.generation ?? 1;
    new Problems('ScimTokens').check(Number.isInteger(this.generation) && this.generation >= 1, 'generation: expected an integer ≥ 1').throwIfAny();
    const generations = slotGenerations(this.generation);
    const slot = (name: TokenSlot) =>
      // 48 alphanumerics ≈ 285 bits; no special characters, so it survives every header and shell.
      new Password(this, `token-${name}`, { length: 48, special: false, keepers: { generation: String(generations[name]) } });
    this.slots = { a: slot('a'), b: slot('b') };
    this.currentSlot = this.generation % 2 === 1 ? 'a' : 'b';
  }

  /** The token Okta is given (sensitive reference). */
  get currentToken(): string {
    return this.slots[this.currentSlot].result;
  }

  /** Comma-separated SHA-256 digests of both slots, for SCIM_TOKEN_SHA256 (computed by Terraform). */
  get hashes(): string {
    return Fn.join(',', [Fn.sha256(this.slots.a.result), Fn.sha256(this.slots.b.result)]);
  }
}
