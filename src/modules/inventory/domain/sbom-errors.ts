import { InputError, UnsupportedMediaTypeError } from '../../../platform/errors.js';

/**
 * The three ways an upload is refused, each naming what the file was taken for and why:
 * `unsupportedSbom` (415: a format or serialization not read here), `malformedSbom` (400, code
 * `sbom-malformed`: it claims a format and breaks it), `notAnInventory` (400, code `sbom-not-inventory`: a
 * well-formed document that lists no software, such as a VEX document or a SaaSBOM). The platform answers
 * 422 only for the code `unprocessable`; these keep their own codes, which say more.
 */

export function unsupportedSbom(kind: string, reason: string): UnsupportedMediaTypeError {
  return new UnsupportedMediaTypeError(`${kind}: ${reason}`);
}

export function malformedSbom(kind: string, reason: string, pointer = ''): InputError {
  return new InputError(`${kind}: ${reason}`, [{ pointer, detail: reason }], { code: 'sbom-malformed' });
}

export function notAnInventory(kind: string, reason: string): InputError {
  return new InputError(`${kind}: ${reason}`, [{ pointer: '', detail: reason }], { code: 'sbom-not-inventory' });
}
