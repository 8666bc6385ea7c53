import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateSigningKey, Signer } from '../domain/openpgp-signing.js';

/**
 * The provider's OpenPGP signing key, kept armored in a file of the data directory (CSAF requirement 19).
 * Created at first use (or at `init`) when the file does not exist, readable by its owner only; the first
 * writer wins should two processes start together. Read once per process and file.
 */

const signers = new Map<string, Promise<Signer>>();

async function loadOrCreate(file: string, now: Date): Promise<Signer> {
  let armored: string;
  try {
    armored = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(path.dirname(file), { recursive: true });
    const key = await generateSigningKey('Clearinghouse CSAF signing key', 'csaf@clearinghouse.invalid', now);
    try {
      writeFileSync(file, key.privateKey, { mode: 0o600, flag: 'wx' });
    } catch (raced) {
      if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
    }
    armored = readFileSync(file, 'utf8');
  }
  try {
    return await Signer.fromArmored(armored);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
  }
}

/** The signer of the key in `file`, created there when missing. */
export function csafSigner(file: string, now: Date): Promise<Signer> {
  let signer = signers.get(file);
  if (signer === undefined) {
    signer = loadOrCreate(file, now);
    signers.set(file, signer);
    signer.catch(() => signers.delete(file));
  }
  return signer;
}

/** Where the key is kept unless configured: the data directory. */
export function defaultCsafKeyFile(dataDir: string): string {
  return path.join(dataDir, 'csaf-openpgp-key.asc');
}
