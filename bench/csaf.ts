import { csafDocument } from '../src/modules/advisories/domain/csaf-document.js';
import { csafProblems } from '../src/modules/advisories/domain/csaf-validation.js';
import { generateSigningKey, Signer } from '../src/modules/advisories/domain/openpgp-signing.js';
import { caseSource, caseVulnerability } from '../src/modules/advisories/test-support/sources.js';
import { report } from './report.js';

/**
 * `npm run bench -- csaf`: advisories generated (CSAF from a two-vendor case), validated (`validateStrict`:
 * the strict schema and every mandatory test) and signed (detached OpenPGP, Ed25519) per second, each step
 * alone and the three together as publication does them, with JSON.stringify of the same document in the same
 * run as the baseline. Domain only: no database, no blob store.
 */
export interface CsafBenchOptions {
  readonly seconds: number;
}

async function perSecond(seconds: number, run: (i: number) => unknown): Promise<{ rate: number; count: number }> {
  const start = performance.now();
  let count = 0;
  while (performance.now() - start < seconds * 1000) {
    await run(count);
    count += 1;
  }
  return { rate: (count / (performance.now() - start)) * 1000, count };
}

export async function benchCsaf(options: CsafBenchOptions): Promise<void> {
  const key = await generateSigningKey('Bench', 'bench@clearinghouse.invalid', new Date('2026-01-01T00:00:00Z'));
  const signer = await Signer.fromArmored(key.privateKey);
  // Three vulnerabilities, two vendors each: a typical multi-CVE advisory.
  const source = (i: number) =>
    caseSource({
      trackingId: `CH-2026-${String(i % 10_000).padStart(4, '0')}`,
      vulnerabilities: [1, 2, 3].map((n) => caseVulnerability({ cve: `CVE-2026-5${String(n).padStart(4, '0')}` })),
    });
  const doc = csafDocument(source(0));
  const problems = await csafProblems(doc);
  if (problems.length > 0) throw new Error(`the bench document is invalid: ${JSON.stringify(problems.slice(0, 3))}`);
  const bytes = Buffer.from(JSON.stringify(doc, null, 2));
  const { seconds } = options;
  const extra = { unit: 'documents/s', vulnerabilities: 3, bytes: bytes.length, seconds };

  const baseline = await perSecond(seconds, () => JSON.stringify(doc, null, 2));
  report('csaf.baseline_json_stringify_per_s', baseline.rate, extra);
  const generated = await perSecond(seconds, (i) => csafDocument(source(i)));
  report('csaf.generated_per_s', generated.rate, extra);
  const validated = await perSecond(seconds, () => csafProblems(doc));
  report('csaf.validated_per_s', validated.rate, extra);
  const signed = await perSecond(seconds, () => signer.sign(bytes));
  report('csaf.signed_per_s', signed.rate, extra);
  const all = await perSecond(seconds, async (i) => {
    const next = csafDocument(source(i));
    if ((await csafProblems(next)).length > 0) throw new Error('invalid');
    await signer.sign(Buffer.from(JSON.stringify(next, null, 2)));
  });
  report('csaf.generated_validated_signed_per_s', all.rate, { ...extra, baselineRatio: Math.round((baseline.rate / all.rate) * 10) / 10 });
}
