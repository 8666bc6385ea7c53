import { createContext, useContext, useEffect, useId, useMemo, useState, type ReactNode } from 'react';

/** TLP 2.0 labels, least restrictive first. */
export const TLP_ORDER = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_ORDER)[number];

interface TlpRegistry {
  report(id: string, labels: readonly string[]): void;
  withdraw(id: string): void;
}

const TlpContext = createContext<TlpRegistry | null>(null);

/** The most restrictive of these labels, or null for none. */
export function mostRestrictive(labels: readonly string[]): Tlp | null {
  let worst = -1;
  for (const label of labels) worst = Math.max(worst, TLP_ORDER.indexOf(label as Tlp));
  return worst < 0 ? null : TLP_ORDER[worst]!;
}

/**
 * The banner on every page with the most restrictive TLP label of what is on screen, as classified systems
 * mark their pages: each part of a page reports the labels it shows through {@link useTlpLabels}.
 */
export function TlpBannerProvider({ children }: { children: ReactNode }) {
  const [shown, setShown] = useState<ReadonlyMap<string, readonly string[]>>(new Map());
  const registry = useMemo<TlpRegistry>(
    () => ({
      report: (id, labels) => setShown((m) => new Map(m).set(id, labels)),
      withdraw: (id) =>
        setShown((m) => {
          const next = new Map(m);
          next.delete(id);
          return next;
        }),
    }),
    [],
  );
  const label = mostRestrictive([...shown.values()].flat());
  return (
    <TlpContext.Provider value={registry}>
      <div className={`tlp-banner tlp-${(label ?? 'none').replace('+', '-').toLowerCase()}`} role="status" aria-live="polite">
        {label === null ? 'No TLP-labelled record on this page' : `TLP:${label} — the most restrictive label on this page`}
      </div>
      {children}
    </TlpContext.Provider>
  );
}

/** Declares the TLP labels this part of the page shows, for the banner. */
export function useTlpLabels(labels: readonly string[]): void {
  const registry = useContext(TlpContext);
  const id = useId();
  const key = labels.join(',');
  useEffect(() => {
    if (registry === null) return;
    registry.report(id, key === '' ? [] : key.split(','));
    return () => registry.withdraw(id);
  }, [registry, id, key]);
}

export function TlpTag({ tlp }: { tlp: string }) {
  return <span className={`tlp-tag tlp-${tlp.replace('+', '-').toLowerCase()}`}>TLP:{tlp}</span>;
}
