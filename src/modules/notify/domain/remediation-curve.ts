import { DAY } from '../../../platform/clock.js';

/** One notified asset: when its operator was told, and when it first reported it patched (null: not yet). */
export interface PatchTiming {
  readonly sector: string | null;
  readonly notifiedAt: string;
  readonly patchedAt: string | null;
}

export interface CurvePoint {
  /** Whole days since notification. */
  readonly day: number;
  /** Assets patched within `day` whole days of their notification… */
  readonly patched: number;
  /** …as a share of the assets notified (0 to 1). */
  readonly patchedShare: number;
}

export interface RemediationCurve {
  readonly assets: number;
  readonly points: CurvePoint[];
}

/**
 * A remediation curve: for each whole day k since notification (0 to `horizon`), the share of assets whose
 * first `patched` report came within k whole days (floor of the time elapsed) of their own notification.
 */
export function remediationCurve(timings: readonly PatchTiming[], horizon: number): RemediationCurve {
  const days = timings.flatMap((x) =>
    x.patchedAt === null ? [] : [Math.floor((Date.parse(x.patchedAt) - Date.parse(x.notifiedAt)) / DAY)],
  );
  const points: CurvePoint[] = [];
  for (let day = 0; day <= horizon; day++) {
    const patched = days.filter((d) => d <= day).length;
    points.push({ day, patched, patchedShare: timings.length === 0 ? 0 : patched / timings.length });
  }
  return { assets: timings.length, points };
}

/** The curve over every asset and one per sector (no sector last), up to `horizon` days. */
export function remediationCurves(
  timings: readonly PatchTiming[],
  horizon: number,
): { overall: RemediationCurve; bySector: (RemediationCurve & { sector: string | null })[] } {
  const sectors = [...new Set(timings.map((x) => x.sector))].sort((a, b) => (a ?? '~').localeCompare(b ?? '~'));
  return {
    overall: remediationCurve(timings, horizon),
    bySector: sectors.map((sector) => ({
      sector,
      ...remediationCurve(
        timings.filter((x) => x.sector === sector),
        horizon,
      ),
    })),
  };
}
