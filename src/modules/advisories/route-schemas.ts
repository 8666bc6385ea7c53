import { Type } from '@sinclair/typebox';
import { InstantSchema, Nullable, StringEnum, TlpSchema } from '../../platform/http/index.js';

const Str = Type.String();

/** What the API answers of an advisory; presenters.ts returns these types, so a field is declared once. */
export const AdvisorySummarySchema = Type.Object({
  id: Str,
  caseId: Str,
  /** CSAF `document.tracking.id`: the case number. */
  trackingId: Str,
  category: StringEnum(['csaf_security_advisory', 'csaf_vex', 'csaf_informational_advisory'] as const),
  title: Str,
  status: StringEnum(['draft', 'published'] as const),
  tlp: TlpSchema,
  /** The latest published revision; 0 while a draft. */
  version: Type.Integer(),
  /** Where the CSAF provider serves the published document (below the server's base URL); null for a draft. */
  path: Nullable(Str),
  publishedAt: Nullable(InstantSchema),
  currentReleaseAt: Nullable(InstantSchema),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});

export const AdvisoryRevisionSchema = Type.Object({
  number: Type.Integer(),
  summary: Str,
  publishedAt: InstantSchema,
  keyFingerprint: Str,
  sha256: Str,
});

export const AdvisoryDetailSchema = Type.Object({
  ...AdvisorySummarySchema.properties,
  revisions: Type.Array(AdvisoryRevisionSchema),
  /** Whether the reader may read the current draft (the case's participants and coordinators). */
  draftReadable: Type.Boolean(),
});
