import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { api, dataOf } from '../api/client';
import type { paths } from '../api/schema';
import { OrgName } from '../parts/org-name';
import { Options } from '../parts/options';
import { More, Status, usePaged } from '../parts/paged';
import { When } from '../parts/when';
import { offers, useSession, type Session } from '../session';

type Model = paths['/api/v1/frontier/models']['get']['responses'][200]['content']['application/json']['items'][number];
type Nomination = paths['/api/v1/frontier/models/{id}/partners']['get']['responses'][200]['content']['application/json']['items'][number];
type NominationBody = paths['/api/v1/frontier/models/{id}/partners']['post']['requestBody']['content']['application/json'];
type Scope = NonNullable<NominationBody['scope']>;
type Capacity = NonNullable<NominationBody['incidentResponseCapacity']>;
const SCOPE_WORDS: Record<Scope, string> = {
  hosted_api: 'hosted API',
  weights_secure_enclave: 'weights in a secure enclave',
  sandbox: 'sandbox',
};
const CAPACITY_WORDS: Record<Capacity, string> = {
  none: 'none',
  basic: 'a basic process',
  dedicated: 'a dedicated team',
  continuous: 'a 24×7 team',
};
const SIDES = ['developer', 'government'] as const;

/** The reader's side on a model's nominations: its developer, government (agencies, the coordinator), or none. */
function sideOf(session: Session, model: Model): (typeof SIDES)[number] | null {
  if (session.org.kind === 'model_developer') return model.developerOrgId === session.org.id ? 'developer' : null;
  return session.org.kind === 'agency' || session.org.kind === 'coordinator' ? 'government' : null;
}

const nominationsKey = (modelId: string) => ['frontier', 'nominations', modelId];

/**
 * Trusted-partner nominations of each model the reader may see: each candidate's score factor by factor,
 * and the two sign-offs (the developer's and government's) that select it. Who may nominate or sign off is
 * the API's permission table; the page offers the action only to them.
 */
export function PartnerNominations() {
  const models = usePaged(['frontier', 'models'], async (cursor) =>
    dataOf(await api.GET('/api/v1/frontier/models', { params: { query: { cursor, limit: 50 } } })),
  );
  return (
    <section aria-labelledby="partners-title">
      <h2 id="partners-title">Trusted-partner nominations</h2>
      <Status query={models.query} what="the models" />
      {models.query.isSuccess && models.items.length === 0 && <p>No model you may see.</p>}
      {models.items.map((m) => (
        <ModelNominations key={m.id} model={m} />
      ))}
      <More paged={models} what="models" />
    </section>
  );
}

function ModelNominations({ model }: { model: Model }) {
  const { session } = useSession();
  const list = usePaged(nominationsKey(model.id), async (cursor) =>
    dataOf(await api.GET('/api/v1/frontier/models/{id}/partners', { params: { path: { id: model.id }, query: { cursor, limit: 50 } } })),
  );
  const side = sideOf(session, model);
  return (
    <article aria-labelledby={`nominations-${model.id}`}>
      <h3 id={`nominations-${model.id}`}>
        {model.name} {model.version}
      </h3>
      <Status query={list.query} what="the nominations" />
      {list.query.isSuccess && list.items.length === 0 && <p>No nomination.</p>}
      {list.items.map((n) => (
        <NominationCard key={n.id} model={model} nomination={n} />
      ))}
      <More paged={list} what="nominations" />
      {offers(session).nominatesPartners && side !== null && <Nominate model={model} />}
    </article>
  );
}

function NominationCard({ model, nomination: n }: { model: Model; nomination: Nomination }) {
  const { session } = useSession();
  const queries = useQueryClient();
  const can = offers(session);
  const side = sideOf(session, model);
  const done = () => void queries.invalidateQueries({ queryKey: nominationsKey(model.id) });
  const signOff = useMutation({
    mutationFn: async (note: string) =>
      dataOf(
        await api.POST('/api/v1/frontier/partners/{id}/approve', { params: { path: { id: n.id } }, body: note === '' ? {} : { note } }),
      ),
    onSuccess: done,
  });
  const rescore = useMutation({
    mutationFn: async () => dataOf(await api.POST('/api/v1/frontier/partners/{id}/score', { params: { path: { id: n.id } } })),
    onSuccess: done,
  });
  const signed = n.signOffs.some((s) => s.side === side);
  const maySign = can.approvesPartners && side !== null && n.status === 'nominated' && !signed;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    signOff.mutate(String(new FormData(event.currentTarget).get('note') ?? '').trim());
  };
  const s = n.score;
  const failed = signOff.error ?? rescore.error;
  return (
    <div className="nomination" role="group" aria-labelledby={`nomination-${n.id}`}>
      <h4 id={`nomination-${n.id}`}>
        <OrgName id={n.candidateOrgId} /> — {n.status}
      </h4>
      <p>
        Nominated by the {n.nominatingSide} side <When at={n.createdAt} /> for {SCOPE_WORDS[n.scope]} access: {n.rationale}
      </p>
      {s === null ? (
        <p>Not scored yet.</p>
      ) : (
        <>
          <p className="score">
            Score {s.score} (minimum {s.minimumScore}, policy version {s.policyVersion}):{' '}
            {s.eligible && s.meetsMinimum ? 'eligible' : s.eligible ? 'below the minimum' : 'not eligible'}
          </p>
          <table className="factors">
            <caption>Why it scores {s.score}</caption>
            <thead>
              <tr>
                <th scope="col">Factor</th>
                <th scope="col">Weight</th>
                <th scope="col">Points</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {s.requirements.map((r) => (
                <tr key={r.key}>
                  <th scope="row">{r.key.replaceAll('_', ' ')}</th>
                  <td colSpan={2}>{r.met ? 'met' : 'not met'}</td>
                  <td>{r.explanation}</td>
                </tr>
              ))}
              {s.factors.map((f) => (
                <tr key={f.key}>
                  <th scope="row">{f.key.replaceAll('_', ' ')}</th>
                  <td className="number">{f.weight}</td>
                  <td className="number">{f.points}</td>
                  <td>{f.explanation}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <ul className="sign-offs" aria-label="Sign-offs">
        {SIDES.map((sd) => {
          const given = n.signOffs.find((o) => o.side === sd);
          return (
            <li key={sd}>
              {sd}:{' '}
              {given === undefined ? (
                'awaiting'
              ) : (
                <>
                  signed by <OrgName id={given.orgId} /> <When at={given.signedAt} />
                  {given.note !== null && ` (${given.note})`}
                </>
              )}
            </li>
          );
        })}
      </ul>
      {n.status === 'selected' && (
        <p>
          Selected <When at={n.selectedAt} />; {n.grants.issued} grants issued.
        </p>
      )}
      <div className="actions">
        {can.nominatesPartners && side !== null && n.status === 'nominated' && (
          <button type="button" onClick={() => rescore.mutate()} disabled={rescore.isPending}>
            Score again
          </button>
        )}
      </div>
      {maySign && (
        <form onSubmit={submit} aria-label={`Sign off for the ${side} side`}>
          <label htmlFor={`sign-note-${n.id}`}>Note</label>
          <input id={`sign-note-${n.id}`} name="note" maxLength={5000} />
          <button type="submit" disabled={signOff.isPending}>
            Sign off for the {side} side
          </button>
        </form>
      )}
      {failed !== null && <p role="alert">{failed.message}</p>}
    </div>
  );
}

function Nominate({ model }: { model: Model }) {
  const queries = useQueryClient();
  const nominate = useMutation({
    mutationFn: async (body: NominationBody) =>
      dataOf(await api.POST('/api/v1/frontier/models/{id}/partners', { params: { path: { id: model.id } }, body })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: nominationsKey(model.id) }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    nominate.mutate({
      candidateOrgId: String(form.get('candidate') ?? '').trim(),
      rationale: String(form.get('rationale') ?? ''),
      scope: form.get('scope') as Scope,
      vettingCompleted: form.get('vetting') === 'on',
      conflictOfInterestDeclared: form.get('conflict') === 'on',
      incidentResponseCapacity: form.get('capacity') as Capacity,
    });
  };
  const id = (field: string) => `nominate-${model.id}-${field}`;
  return (
    <form onSubmit={submit} aria-label={`Nominate a partner for ${model.name}`} className="filters">
      <label htmlFor={id('candidate')}>Candidate organisation id</label>
      <input id={id('candidate')} name="candidate" required maxLength={64} />
      <label htmlFor={id('rationale')}>Rationale</label>
      <textarea id={id('rationale')} name="rationale" required maxLength={10000} />
      <label htmlFor={id('scope')}>Access</label>
      <select id={id('scope')} name="scope">
        <Options words={SCOPE_WORDS} />
      </select>
      <label htmlFor={id('capacity')}>Incident response</label>
      <select id={id('capacity')} name="capacity" defaultValue="basic">
        <Options words={CAPACITY_WORDS} />
      </select>
      <label>
        <input type="checkbox" name="vetting" /> Vetting completed
      </label>
      <label>
        <input type="checkbox" name="conflict" /> Conflict of interest declared
      </label>
      <button type="submit" disabled={nominate.isPending}>
        Nominate
      </button>
      {nominate.isError && <p role="alert">{nominate.error.message}</p>}
    </form>
  );
}
