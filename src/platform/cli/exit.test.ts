import { describe, expect, it } from 'vitest';
import { InputError, NotFoundError } from '../errors.js';
import { rejectInput } from '../input/issues.js';
import { describeError, exitCodeFor } from './exit.js';

const thrown = (fn: () => never): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
};

describe('describeError', () => {
  it('says a whole-input issue once: the first line already carries it', () => {
    const error = thrown(() =>
      rejectInput('the KEV catalog is not JSON', [{ pointer: '', detail: 'unreadable as JSON (Unexpected token)' }]),
    );
    expect(describeError(error)).toBe('the KEV catalog is not JSON: unreadable as JSON (Unexpected token)');
  });

  it('lists the fields after the first on their own lines', () => {
    const error = thrown(() =>
      rejectInput('the catalog does not match its schema', [
        { pointer: '/count', detail: 'must be integer' },
        { pointer: '/vulnerabilities/3/dueDate', detail: 'must match format "date"' },
      ]),
    );
    expect(describeError(error)).toBe(
      ['the catalog does not match its schema: /count: must be integer', '  /vulnerabilities/3/dueDate: must match format "date"'].join(
        '\n',
      ),
    );
  });

  it('lists every field when the message names none of them', () => {
    const error = new InputError('--limit must be a whole number, got "x"', [{ pointer: '--limit', detail: 'must be a whole number' }]);
    expect(describeError(error)).toBe('--limit must be a whole number, got "x"\n  --limit: must be a whole number');
    expect(exitCodeFor(error)).toBe(2);
    expect(describeError(new NotFoundError('no cluster c_1'))).toBe('no cluster c_1');
    expect(exitCodeFor(new NotFoundError('no cluster c_1'))).toBe(1);
  });
});
