// The library ships JavaScript without types; this describes the parts intake uses.

/** What every CSAF validator-lib test returns. */
interface CsafTestResult {
  isValid?: boolean;
  errors?: { instancePath: string; message: string; keyword?: string; params?: Record<string, unknown> }[];
  warnings?: { instancePath: string; message: string }[];
}

declare module '@secvisogram/csaf-validator-lib/schemaTests.js' {
  /** Validates a document against the CSAF 2.0 JSON schema (with the FIRST CVSS schemas it references). */
  export function csaf_2_0(doc: unknown): CsafTestResult & { isValid: boolean };
}

/** The mandatory tests of CSAF 2.0 §6.1, one function per test, synchronous in the installed version. */
declare module '@secvisogram/csaf-validator-lib/mandatoryTests.js' {
  export function mandatoryTest_6_1_1(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_2(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_3(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_4(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_5(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_6(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_7(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_8(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_9(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_10(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_11(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_12(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_13(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_14(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_15(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_16(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_17(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_18(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_19(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_20(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_21(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_22(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_23(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_24(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_25(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_26(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_27_1(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_27_2(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_27_3(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_27_4(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_27_5(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_27_6(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_27_7(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_27_8(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_27_9(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_27_10(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_27_11(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_28(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_29(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_30(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_31(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_32(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
  export function mandatoryTest_6_1_33(doc: unknown): CsafTestResult | Promise<CsafTestResult>;
}
