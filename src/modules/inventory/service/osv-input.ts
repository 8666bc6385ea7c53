import { InputError } from '../../../platform/errors.js';
import { checkOsvRecord } from '../../intake/pure.js';
import { readOsvRecord, type OsvRecord } from '../domain/osv-record.js';

/**
 * Reads an OSV record for matching, on every path that takes one from outside (the CLI's `--osv` files,
 * `inventory advisories import`, `POST /api/v1/inventory/advisories`): first the fields matching reads,
 * then the whole record against the OSV schema exactly as intake checks it (`checkOsvRecord`: the one schema
 * and Ajv set-up; a GIT range over a patch file dropped), so that a truncated or schema-invalid record (no
 * `modified`, a misspelt event) is refused, never matched.
 * @throws InputError (code `invalid-osv`) naming each broken rule by JSON pointer.
 */
export function readValidOsvRecord(document: unknown): OsvRecord {
  const { document: checked, issues } = checkOsvRecord(document);
  const record = readOsvRecord(checked);
  if (issues.length > 0) {
    throw new InputError(
      `OSV record ${record.id} does not follow the OSV schema: ${issues.map((i) => `${i.pointer || '/'}: ${i.detail}`).join('; ')}`,
      issues,
      { code: 'invalid-osv' },
    );
  }
  return record;
}
