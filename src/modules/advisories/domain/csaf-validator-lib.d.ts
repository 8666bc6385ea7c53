// The library ships JavaScript without types; this describes the parts advisories use beyond intake's
// (../../intake/domain/csaf-validator-lib.d.ts declares the modules' other exports; declarations merge).

declare module '@secvisogram/csaf-validator-lib/schemaTests.js' {
  /** The CSAF 2.0 JSON schema with `additionalProperties: false` everywhere: no unknown member passes. */
  export function csaf_2_0_strict(doc: unknown): { isValid: boolean; errors: { instancePath: string; message: string }[] };
}

declare module '@secvisogram/csaf-validator-lib/validate.js' {
  interface DocumentTestResult {
    name: string;
    isValid: boolean;
    errors: { instancePath: string; message: string }[];
    warnings: { instancePath: string; message: string }[];
    infos: { instancePath: string; message: string }[];
  }
  /** Runs the tests on the document. */
  export default function validate(
    tests: readonly ((doc: unknown) => unknown)[],
    doc: unknown,
  ): Promise<{ isValid: boolean; tests: DocumentTestResult[] }>;
}

declare module '@secvisogram/csaf-validator-lib/cwe.js' {
  /** The CWE list the library checks §6.1.11 against: id `CWE-79` and its exact name. */
  export const weaknesses: readonly { readonly id: string; readonly name: string }[];
}
