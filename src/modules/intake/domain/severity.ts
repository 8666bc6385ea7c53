import type { Severity } from './finding.js';

/** Severity statements: CVSS vectors recognized by their prefix, SARIF levels, numeric scores. */

type CvssVersion = Extract<Severity, { kind: 'cvss' }>['version'];

const V3_OR_4 = /^CVSS:(3\.0|3\.1|4\.0)\/[A-Za-z]+:[A-Za-z]+(\/[A-Za-z]+:[A-Za-z]+)*$/;
const V2 = /^AV:[LAN]\/AC:[HML]\/Au:[MSN]\/C:[NPC]\/I:[NPC]\/A:[NPC](\/[A-Za-z]+:[A-Za-z]+)*$/;

/** The CVSS version a vector string is written in, or null when it is not a CVSS vector. */
export function cvssVersionOf(vector: string): CvssVersion | null {
  const match = V3_OR_4.exec(vector);
  if (match) return match[1] as CvssVersion;
  return V2.test(vector) ? '2.0' : null;
}

/**
 * A CVSS severity from a vector string; v2 vectors may come wrapped in parentheses. Null when the string is not
 * a CVSS vector. Scores are taken from the source, never computed here (scoring owns that).
 */
export function cvssSeverity(rawVector: string, source: string, baseScore: number | null = null): Severity | null {
  const vector = rawVector.trim().replace(/^\((.*)\)$/, '$1');
  const version = cvssVersionOf(vector);
  if (version === null) return null;
  return { kind: 'cvss', version, vector, baseScore, source };
}

const LEVELS = ['none', 'note', 'warning', 'error'] as const;

export function sarifLevel(value: unknown): (typeof LEVELS)[number] | null {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value) ? (value as (typeof LEVELS)[number]) : null;
}
