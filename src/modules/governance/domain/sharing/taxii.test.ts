import { describe, expect, it } from 'vitest';
import { TLP_LABELS } from '../../../../platform/tlp.js';
import { seededRandom } from '#test-support/seeded-random.js';
import { stixId } from './stix-ids.js';
import {
  acceptsTaxii,
  collectionPage,
  collectionTlp,
  envelope,
  manifest,
  readObjectsQuery,
  tlpCollection,
  type CollectionEntry,
  type ObjectsQuery,
} from './taxii.js';

function entries(n: number, seed: number): CollectionEntry[] {
  const next = seededRandom(seed);
  // Few distinct instants, so many entries share a date_added: pagination must still neither skip nor repeat.
  return Array.from({ length: n }, (_, i) => {
    const dateAdded = new Date(Date.UTC(2026, 5, 2, 12, 0, Math.floor(next() * 5))).toISOString();
    const type = next() < 0.7 ? 'vulnerability' : 'note';
    return { object: { id: stixId(type, `rec_${seed}_${i}`), type, spec_version: '2.1', modified: dateAdded }, dateAdded };
  });
}

function query(q: Record<string, unknown>): ObjectsQuery {
  const read = readObjectsQuery(q);
  if (!('query' in read)) throw new Error(JSON.stringify(read.issues));
  return read.query;
}

describe('TAXII pagination', () => {
  it('walks a collection page by page, in date-added order, with no object missed or repeated (property test)', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const all = entries(1 + Math.floor(seededRandom(seed)() * 60), seed);
      const limit = 1 + (seed % 7);
      const seen: string[] = [];
      let next: string | undefined;
      let pages = 0;
      do {
        const page = collectionPage(all, query({ limit: String(limit), ...(next ? { next } : {}) }));
        expect(page.entries.length).toBeLessThanOrEqual(limit);
        seen.push(...page.entries.map((e) => e.object.id));
        expect(page.more).toBe(page.next !== null);
        next = page.next ?? undefined;
        pages++;
      } while (next !== undefined && pages < 1000);
      expect([...seen].sort()).toEqual(all.map((e) => e.object.id).sort());
      const order = seen.map((id) => all.find((e) => e.object.id === id)?.dateAdded ?? '');
      expect(order).toEqual([...order].sort());
    }
  });

  it('added_after is strict, and the page headers name its first and last date added', () => {
    const all = [
      { object: { id: stixId('note', 'a'), type: 'note' }, dateAdded: '2026-06-02T12:00:00.000Z' },
      { object: { id: stixId('note', 'b'), type: 'note' }, dateAdded: '2026-06-02T12:00:01.000Z' },
      { object: { id: stixId('note', 'c'), type: 'note' }, dateAdded: '2026-06-02T12:00:02.000Z' },
    ];
    const page = collectionPage(all, query({ added_after: '2026-06-02T12:00:00.000Z' }));
    expect(page.entries.map((e) => e.dateAdded)).toEqual(['2026-06-02T12:00:01.000Z', '2026-06-02T12:00:02.000Z']);
    expect([page.dateAddedFirst, page.dateAddedLast]).toEqual(['2026-06-02T12:00:01.000Z', '2026-06-02T12:00:02.000Z']);
    expect(envelope(page)).toEqual({ more: false, objects: [all[1]?.object, all[2]?.object] });
    expect(manifest(page).objects[0]).toEqual({
      id: all[1]?.object.id,
      date_added: '2026-06-02T12:00:01.000Z',
      version: '2026-06-02T12:00:01.000Z',
      media_type: 'application/stix+json;version=2.1',
    });
  });

  it('filters by id and type', () => {
    const all = entries(20, 3);
    const vuln = all.find((e) => e.object.type === 'vulnerability');
    expect(collectionPage(all, query({ 'match[type]': 'note' })).entries.every((e) => e.object.type === 'note')).toBe(true);
    expect(collectionPage(all, query({ 'match[id]': vuln?.object.id })).entries.map((e) => e.object.id)).toEqual([vuln?.object.id]);
  });

  it('refuses a bad query, naming each parameter', () => {
    const read = readObjectsQuery({
      added_after: 'yesterday',
      limit: '0',
      next: 'garbage',
      'match[type]': 'Not A Type',
      'match[foo]': 'x',
    });
    expect('issues' in read && read.issues.map((i) => i.pointer)).toEqual([
      '/query/match[foo]',
      '/query/added_after',
      '/query/limit',
      '/query/next',
      '/query/match[type]/0',
    ]);
  });
});

describe('TAXII media types and collections', () => {
  it.each([
    [undefined, true],
    ['application/taxii+json;version=2.1', true],
    ['application/taxii+json', true],
    ['application/json, application/taxii+json; version=2.1', true],
    ['*/*', true],
    ['application/taxii+json;version=2.0', false],
    ['application/json', false],
    ['application/stix+json;version=2.1', false],
  ])('Accept %s → %s', (accept, ok) => {
    expect(acceptsTaxii(accept)).toBe(ok);
  });

  it('has one collection per TLP label, with a fixed id and alias each, read-only', () => {
    const collections = TLP_LABELS.map((tlp) => tlpCollection(tlp, true));
    expect(new Set(collections.map((c) => c.id)).size).toBe(5);
    expect(collections.map((c) => c.alias)).toEqual(['tlp-clear', 'tlp-green', 'tlp-amber', 'tlp-amber-strict', 'tlp-red']);
    for (const tlp of TLP_LABELS) {
      expect(collectionTlp(tlpCollection(tlp, false).id)).toBe(tlp);
      expect(tlpCollection(tlp, true)).toMatchObject({ can_write: false, media_types: ['application/stix+json;version=2.1'] });
    }
    expect(collectionTlp('nope')).toBeNull();
  });
});
