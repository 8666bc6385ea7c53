import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, dataOf } from '../api/client';
import type { paths } from '../api/schema';
import { useSession } from '../session';

type AttemptBody = paths['/api/v1/validation/clusters/{id}/attempts']['post']['requestBody']['content']['application/json'];
type Assessment = NonNullable<AttemptBody['assessment']>;

/** The validating organisation kinds, from the policy in force (the API refuses the others; this only hides the form). */
export function useValidates(): boolean {
  const { session } = useSession();
  const policy = useQuery({
    queryKey: ['validation-policy'],
    queryFn: async () => dataOf(await api.GET('/api/v1/validation/policy')),
    staleTime: 60_000,
  });
  return session.user.role !== 'viewer' && (policy.data?.policy.validatorKinds.includes(session.org.kind) ?? false);
}

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

/**
 * An independent validator's attempt on a cluster: what it ran against, whether it reproduced on the affected
 * build and, when a fixed build was tried, not on it; the steps and the SSVC points it assessed. The answer
 * says whether it confirmed and where the quorum stands; the API refuses a reporter or a non-independent one.
 */
export function AttemptForm({ clusterId, state }: { clusterId: string; state: string }) {
  const queries = useQueryClient();
  const [fixedBuild, setFixedBuild] = useState('');
  const record = useMutation({
    mutationFn: async (body: AttemptBody) =>
      dataOf(await api.POST('/api/v1/validation/clusters/{id}/attempts', { params: { path: { id: clusterId } }, body })),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ['validation', clusterId] });
      void queries.invalidateQueries({ queryKey: ['cluster', clusterId] });
      void queries.invalidateQueries({ queryKey: ['validation-jobs'] });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const assessment: Assessment = {};
    const automatable = text('automatable');
    if (automatable === 'yes' || automatable === 'no') assessment.automatable = automatable;
    const impact = text('technicalImpact');
    if (impact === 'partial' || impact === 'total') assessment.technicalImpact = impact;
    const steps = lines(text('steps'));
    record.mutate({
      artifact: text('artifact'),
      affectedBuild: text('affectedBuild'),
      environment: text('environment'),
      reproducedOnAffected: form.get('reproducedOnAffected') === 'yes',
      ...(fixedBuild.trim() === '' ? {} : { fixedBuild: fixedBuild.trim(), reproducedOnFixed: form.get('reproducedOnFixed') === 'yes' }),
      ...(text('notes') === '' ? {} : { notes: text('notes') }),
      ...(steps.length === 0 ? {} : { steps }),
      ...(Object.keys(assessment).length === 0 ? {} : { assessment }),
    });
  };
  const outcome = record.data;
  const said = outcome !== undefined && (
    <p role="status">
      Recorded: {outcome.attempt.confirms ? 'it confirms' : 'it does not confirm'}; {outcome.quorum.confirmations} of{' '}
      {outcome.quorum.needed} confirmations, the cluster is {outcome.state}.{outcome.jobCompleted && ' Your validation job is done.'}
    </p>
  );
  // Only a received cluster awaits validation; the answer stays on screen when this attempt decided it.
  if (state !== 'received') return said || null;
  return (
    <form className="attempt" onSubmit={submit} aria-labelledby="attempt-title">
      <h3 id="attempt-title">Record a validation attempt</h3>
      <label htmlFor="attempt-artifact">Ran against (package URL, repository or image)</label>
      <input id="attempt-artifact" name="artifact" required maxLength={500} />
      <label htmlFor="attempt-affected">Affected build (version, commit or digest)</label>
      <input id="attempt-affected" name="affectedBuild" required maxLength={500} />
      <label htmlFor="attempt-environment">Environment</label>
      <input id="attempt-environment" name="environment" required maxLength={2000} />
      <YesNo name="reproducedOnAffected" legend="Reproduced on the affected build?" />
      <label htmlFor="attempt-fixed">Fixed build tried (optional)</label>
      <input id="attempt-fixed" name="fixedBuild" maxLength={500} value={fixedBuild} onChange={(e) => setFixedBuild(e.target.value)} />
      {fixedBuild.trim() !== '' && <YesNo name="reproducedOnFixed" legend="Reproduced on the fixed build?" />}
      <label htmlFor="attempt-steps">Steps (one a line)</label>
      <textarea id="attempt-steps" name="steps" maxLength={10_000} />
      <label htmlFor="attempt-notes">Notes</label>
      <textarea id="attempt-notes" name="notes" maxLength={10_000} />
      <label htmlFor="attempt-automatable">Automatable (SSVC)</label>
      <select id="attempt-automatable" name="automatable" defaultValue="">
        <option value="">not assessed</option>
        <option value="yes">yes</option>
        <option value="no">no</option>
      </select>
      <label htmlFor="attempt-impact">Technical impact (SSVC)</label>
      <select id="attempt-impact" name="technicalImpact" defaultValue="">
        <option value="">not assessed</option>
        <option value="partial">partial</option>
        <option value="total">total</option>
      </select>
      <button type="submit" disabled={record.isPending}>
        Record the attempt
      </button>
      {record.isError && <p role="alert">{record.error.message}</p>}
      {said}
    </form>
  );
}

/** A required yes-or-no question as two radio buttons under their legend. */
function YesNo({ name, legend }: { name: string; legend: string }) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {['yes', 'no'].map((answer) => (
        <label key={answer}>
          <input type="radio" name={name} value={answer} required /> {answer}
        </label>
      ))}
    </fieldset>
  );
}
