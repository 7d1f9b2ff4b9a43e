/** Metadata every object of the receiver carries (name, namespace reference, labels). */
export interface ReceiverMetadata {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}
