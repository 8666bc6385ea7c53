import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { uploadRaw } from '../api/client';
import type { paths } from '../api/schema';
import { useSession } from '../session';

type Upload = paths['/api/v1/inventory/sboms']['post'];
type Query = Upload['parameters']['query'];
type Answer = Upload['responses'][201]['content']['application/json'];
type Sector = NonNullable<Query['sector']>;
type Criticality = NonNullable<Query['criticality']>;

/** Every sector the API takes: a missing or unknown one is a compile error here. */
const SECTORS = Object.keys({
  chemical: 0,
  commercial_facilities: 0,
  communications: 0,
  critical_manufacturing: 0,
  dams: 0,
  defense_industrial_base: 0,
  emergency_services: 0,
  energy: 0,
  financial_services: 0,
  food_and_agriculture: 0,
  government_facilities: 0,
  healthcare_public_health: 0,
  information_technology: 0,
  nuclear: 0,
  transportation: 0,
  water: 0,
} satisfies Record<Sector, 0>) as Sector[];
const CRITICALITY_WORDS: Record<Criticality, string> = { low: 'low', moderate: 'moderate', high: 'high' };

/**
 * An operator's SBOM upload: the file as it is (CycloneDX or SPDX), as the new inventory of the named asset
 * (created on its first upload); the answer says how many components were read and what matched at once.
 */
export function SbomUpload() {
  const { session } = useSession();
  const queries = useQueryClient();
  const send = useMutation({
    mutationFn: ({ file, query }: { file: File; query: Record<string, string> }) =>
      uploadRaw<Answer>('/api/v1/inventory/sboms', file, query),
    onSuccess: () => {
      for (const key of ['assets', 'priorities', 'remediation']) void queries.invalidateQueries({ queryKey: [key] });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get('sbom');
    if (!(file instanceof File) || file.size === 0) return;
    const query: Record<string, string> = {
      asset: String(form.get('asset')).trim(),
      criticality: String(form.get('criticality')),
      internetFacing: String(form.get('internetFacing') === 'on'),
    };
    const sector = String(form.get('sector') ?? '');
    if (sector !== '') query.sector = sector;
    send.mutate({ file, query });
  };
  const answer = send.data;
  // A coordinator uploads for an operator through the API (orgId); the form is the operator's own.
  if (session.org.kind !== 'operator' || session.user.role === 'viewer') return null;
  return (
    <form className="sbom-upload" onSubmit={submit} aria-labelledby="sbom-upload-title">
      <h2 id="sbom-upload-title">Upload an SBOM</h2>
      <label htmlFor="sbom-asset">Asset</label>
      <input id="sbom-asset" name="asset" required maxLength={200} />
      <label htmlFor="sbom-sector">Sector</label>
      <select id="sbom-sector" name="sector" defaultValue="">
        <option value="">not stated</option>
        {SECTORS.map((sector) => (
          <option key={sector} value={sector}>
            {sector.replaceAll('_', ' ')}
          </option>
        ))}
      </select>
      <label htmlFor="sbom-criticality">Criticality</label>
      <select id="sbom-criticality" name="criticality" defaultValue="moderate">
        {Object.entries(CRITICALITY_WORDS).map(([value, words]) => (
          <option key={value} value={value}>
            {words}
          </option>
        ))}
      </select>
      <label>
        <input type="checkbox" name="internetFacing" /> Internet-facing
      </label>
      <label htmlFor="sbom-file">SBOM file (CycloneDX or SPDX)</label>
      <input id="sbom-file" name="sbom" type="file" required />
      <button type="submit" disabled={send.isPending}>
        Upload the SBOM
      </button>
      {send.isError && <p role="alert">{send.error.message}</p>}
      {answer !== undefined && (
        <p role="status">
          {answer.created ? `Version ${answer.sbom.version} of ${answer.asset.name}` : `${answer.asset.name}: unchanged`}:{' '}
          {answer.sbom.components} components ({answer.sbom.format} {answer.sbom.specVersion}), {answer.matches.affected} affected by known
          advisories.
        </p>
      )}
    </form>
  );
}
