/**
 * CVSS v2.0, v3.0, v3.1 and v4.0: vectors read strictly and every score recomputed from them, checked against
 * the published vectors (FIRST's and Red Hat's) and against `ae-cvss-calculator`. A standard's arithmetic, like
 * the purl reader in platform/software: intake, validation and scoring all read CVSS vectors, and scoring owns
 * what is decided from them.
 */
export { CVSS_METRICS, CVSS_VERSIONS, type CvssVersion } from './cvss-metrics.js';
export { CVSS_CACHE_SIZE, scoreCvss, scoreParsedCvss, type CvssNomenclature, type CvssScores, type CvssScoreValue } from './cvss-score.js';
export { cvssSeverity, type CvssSeverity } from './cvss-severity.js';
export { parseCvssVector, type CvssVector, type ParseCvssOptions } from './cvss-vector.js';
