import { InputError } from '../../../platform/errors.js';
import { SOURCE_FORMATS, isSourceFormat, type SourceFormat } from '../domain/finding.js';

/** The `--format` option of `submit` and `dedup`: a source format, or `auto` to detect it. */
export function formatOption(value: string | undefined): SourceFormat | 'auto' {
  if (value === undefined || value === 'auto') return 'auto';
  if (!isSourceFormat(value))
    throw new InputError(`--format must be one of ${SOURCE_FORMATS.join(', ')}, got "${value}"`, [
      { pointer: '--format', detail: 'unknown format' },
    ]);
  return value;
}
