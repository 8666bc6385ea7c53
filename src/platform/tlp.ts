/** Traffic Light Protocol 2.0 labels (FIRST, 2022), most open first. */
export const TLP_LABELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_LABELS)[number];

export function isTlp(value: unknown): value is Tlp {
  return typeof value === 'string' && (TLP_LABELS as readonly string[]).includes(value);
}

/** How restrictive a label is: 0 for CLEAR up to 4 for RED. */
export function tlpRank(label: Tlp): number {
  return TLP_LABELS.indexOf(label);
}

/** The stricter of two labels, for records derived from several sources. */
export function stricterTlp(a: Tlp, b: Tlp): Tlp {
  return tlpRank(a) >= tlpRank(b) ? a : b;
}
