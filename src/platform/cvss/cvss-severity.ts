import type { CvssVersion } from './cvss-metrics.js';

export type CvssSeverity = 'none' | 'low' | 'medium' | 'high' | 'critical';

/**
 * The qualitative rating of a score. v3.0, v3.1 and v4.0 share the specification's scale (None 0.0, Low
 * 0.1–3.9, Medium 4.0–6.9, High 7.0–8.9, Critical 9.0–10.0). v2 defines no scale; NVD's (Low 0.0–3.9,
 * Medium 4.0–6.9, High 7.0–10.0) is the one everyone quotes, so a v2 score is never `none` or `critical`.
 */
export function cvssSeverity(score: number, version: CvssVersion): CvssSeverity {
  if (version === '2.0') return score >= 7 ? 'high' : score >= 4 ? 'medium' : 'low';
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}
