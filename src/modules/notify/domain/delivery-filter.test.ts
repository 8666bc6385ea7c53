import { describe, expect, it } from 'vitest';
import {
  eventPatternProblem,
  eventTypeMatches,
  filterNotification,
  purlPackage,
  type DeliveryFilter,
  type NotificationFacets,
} from './delivery-filter.js';

const all: DeliveryFilter = { eventTypes: ['*'], tlpCeiling: 'AMBER+STRICT', sectors: null, products: null };
const advisory: NotificationFacets = {
  type: 'notify.advisory.matched',
  tlp: 'AMBER',
  sectors: ['energy', 'water'],
  purls: ['pkg:pypi/django@4.2.1', 'pkg:npm/%40scope/left-pad@1.0.0?arch=x'],
};

describe('webhook endpoint filters', () => {
  it('matches event types exactly, by family, or all', () => {
    expect(eventTypeMatches(['notify.advisory.matched'], 'notify.advisory.matched')).toBe(true);
    expect(eventTypeMatches(['notify.advisory.*'], 'notify.advisory.matched')).toBe(true);
    expect(eventTypeMatches(['notify.*'], 'notify.advisory.matched')).toBe(true);
    expect(eventTypeMatches(['notify.adv*'], 'notify.advisory.matched')).toBe(false);
    expect(eventTypeMatches(['notify.advisory.*'], 'notify.advisoryx.matched')).toBe(false);
    expect(eventTypeMatches(['*'], 'anything.at.all')).toBe(true);
    expect(eventTypeMatches([], 'notify.advisory.matched')).toBe(false);
    for (const ok of ['*', 'notify.*', 'notify.advisory.*', 'notify.advisory.matched']) expect(eventPatternProblem(ok)).toBeNull();
    for (const bad of ['', 'Notify.x', 'a.b.c.d', 'a..b', '*.x', 'a.*.b', 'a b']) expect(eventPatternProblem(bad), bad).not.toBeNull();
  });

  it('keeps notifications stricter than the TLP ceiling away from the endpoint', () => {
    expect(filterNotification(all, advisory)).toEqual({ pass: true });
    expect(filterNotification({ ...all, tlpCeiling: 'GREEN' }, advisory)).toEqual({ pass: false, reason: 'tlp-ceiling' });
    expect(filterNotification({ ...all, tlpCeiling: 'AMBER' }, { ...advisory, tlp: 'AMBER+STRICT' })).toEqual({
      pass: false,
      reason: 'tlp-ceiling',
    });
    expect(filterNotification(all, { ...advisory, tlp: 'RED' })).toEqual({ pass: false, reason: 'tlp-ceiling' });
    expect(filterNotification({ ...all, tlpCeiling: 'RED' }, { ...advisory, tlp: 'RED' })).toEqual({ pass: true });
  });

  it('filters by the sectors of the assets concerned', () => {
    expect(filterNotification({ ...all, sectors: ['water'] }, advisory)).toEqual({ pass: true });
    expect(filterNotification({ ...all, sectors: ['nuclear'] }, advisory)).toEqual({ pass: false, reason: 'sector' });
    expect(filterNotification({ ...all, sectors: ['nuclear'] }, { ...advisory, sectors: [] })).toEqual({ pass: true });
  });

  it('filters by package, whatever the version, qualifiers or case', () => {
    expect(purlPackage('pkg:PyPI/Django@4.2.1?x=1#sub')).toBe('pkg:pypi/django');
    expect(filterNotification({ ...all, products: ['pkg:pypi/Django'] }, advisory)).toEqual({ pass: true });
    expect(filterNotification({ ...all, products: ['pkg:npm/%40scope/left-pad'] }, advisory)).toEqual({ pass: true });
    expect(filterNotification({ ...all, products: ['pkg:pypi/flask'] }, advisory)).toEqual({ pass: false, reason: 'product' });
    expect(filterNotification({ ...all, products: ['pkg:pypi/django-extensions'] }, advisory)).toEqual({ pass: false, reason: 'product' });
  });

  it('checks the event type first', () => {
    expect(filterNotification({ ...all, eventTypes: ['notify.remediation.*'], tlpCeiling: 'CLEAR' }, advisory)).toEqual({
      pass: false,
      reason: 'event-type',
    });
  });
});
