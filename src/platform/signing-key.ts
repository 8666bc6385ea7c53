import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sha256Hex } from './hash.js';

/** An Ed25519 key kept in a file, outside the database, for signing what the database must not forge. */
export interface SigningKey {
  /** SHA-256 (hex) of the public key's SPKI DER encoding: names the key in what it signs. */
  readonly keyId: string;
  /** The public key, SPKI DER in base64, to publish beside signatures. */
  readonly publicKey: string;
  /** Ed25519 signature of `message`, base64. */
  sign(message: string): string;
}

/** The id of a public key given as base64 SPKI DER. */
export function keyIdOf(publicKeyBase64: string): string {
  return sha256Hex(Buffer.from(publicKeyBase64, 'base64'));
}

function fromPrivateKey(privateKey: KeyObject): SigningKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`the key is ${privateKey.asymmetricKeyType ?? 'unknown'}, not Ed25519`);
  const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    keyId: keyIdOf(publicKey),
    publicKey,
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
  };
}

/**
 * The Ed25519 key in `file` (PKCS#8 PEM). When the file does not exist it is created with a new key,
 * readable by its owner only; the first writer wins should two processes start together.
 * @throws Error naming the file when it exists but holds no Ed25519 private key.
 */
export function loadOrCreateSigningKey(file: string): SigningKey {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(path.dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (raced) {
      if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
    }
    pem = readFileSync(file, 'utf8');
  }
  try {
    return fromPrivateKey(createPrivateKey(pem));
  } catch (error) {
    throw new Error(`${file} holds no Ed25519 private key (PKCS#8 PEM): ${(error as Error).message}`, { cause: error });
  }
}

/** True when `signature` (base64) is the Ed25519 signature of `message` by the key (base64 SPKI DER). */
export function verifySignature(publicKeyBase64: string, message: string, signature: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKeyBase64, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, Buffer.from(message, 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
