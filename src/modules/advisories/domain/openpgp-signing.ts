import * as openpgp from 'openpgp';

/**
 * The provider's OpenPGP signing key (CSAF requirements 19 and 20): an Ed25519 key in OpenPGP v4 format,
 * which every OpenPGP implementation in use verifies (GnuPG 2.2 included), and detached ASCII-armored
 * signatures over the exact bytes served.
 */

export interface SigningKeyMaterial {
  /** Armored private key (unencrypted: it is kept in the data directory, readable by the server alone). */
  readonly privateKey: string;
  readonly publicKey: string;
  /** Upper-case hex, 40 characters. */
  readonly fingerprint: string;
}

/** A new signing key for `name <email>`, created at `date`. */
export async function generateSigningKey(name: string, email: string, date: Date): Promise<SigningKeyMaterial> {
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'ecc',
    curve: 'curve25519Legacy',
    userIDs: [{ name, email }],
    date,
    format: 'armored',
  });
  const key = await openpgp.readPrivateKey({ armoredKey: privateKey });
  return { privateKey, publicKey, fingerprint: key.getFingerprint().toUpperCase() };
}

/** A key read once and kept, since reading an armored key costs more than a signature. */
export class Signer {
  private constructor(
    private readonly key: openpgp.PrivateKey,
    readonly fingerprint: string,
    readonly publicKey: string,
  ) {}

  /**
   * Reads an armored private key. Throws Error naming the problem when it is not one, is encrypted, or
   * cannot sign.
   */
  static async fromArmored(armoredPrivateKey: string): Promise<Signer> {
    let key: openpgp.PrivateKey;
    try {
      key = await openpgp.readPrivateKey({ armoredKey: armoredPrivateKey });
    } catch (error) {
      throw new Error(`the CSAF signing key is not an armored OpenPGP private key: ${(error as Error).message}`, { cause: error });
    }
    if (!key.isDecrypted()) throw new Error('the CSAF signing key is protected by a passphrase; give an unprotected key');
    await key.getSigningKey().catch((error: unknown) => {
      throw new Error(`the CSAF signing key cannot sign: ${(error as Error).message}`, { cause: error });
    });
    return new Signer(key, key.getFingerprint().toUpperCase(), key.toPublic().armor());
  }

  /** A detached, armored signature over `bytes` (the `.asc` file). */
  async sign(bytes: Uint8Array): Promise<string> {
    const message = await openpgp.createMessage({ binary: bytes });
    return openpgp.sign({ message, signingKeys: this.key, detached: true, format: 'armored' });
  }
}

/** Whether `signature` is a valid detached signature of `bytes` by `armoredPublicKey`. */
export async function verifyDetached(bytes: Uint8Array, signature: string, armoredPublicKey: string): Promise<boolean> {
  const [publicKey, parsed, message] = await Promise.all([
    openpgp.readKey({ armoredKey: armoredPublicKey }),
    openpgp.readSignature({ armoredSignature: signature }),
    openpgp.createMessage({ binary: bytes }),
  ]);
  const result = await openpgp.verify({ message, signature: parsed, verificationKeys: publicKey });
  try {
    await result.signatures[0]?.verified;
    return result.signatures.length > 0;
  } catch {
    return false;
  }
}
