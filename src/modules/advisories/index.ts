/**
 * Advisories: CSAF 2.0 documents (`csaf_security_advisory` and `csaf_vex`) generated from cases, drafts at
 * TLP:AMBER or RED while embargoed and TLP:CLEAR once published, and the CSAF trusted provider that serves
 * them (metadata, per-TLP folders, index.txt, changes.csv, ROLIE feeds, hashes and OpenPGP signatures)
 * (DESIGN §3, issue 15). See README.md.
 */
export { ADVISORY_PUBLISHED, type AdvisoryPublishedPayload } from './events.js';
