/** The kinds of party that take part (DESIGN §2). */
export const ORG_KINDS = ['coordinator', 'agency', 'model_developer', 'vendor', 'operator', 'researcher'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const ROLES = ['admin', 'analyst', 'viewer'] as const;

/**
 * The 16 U.S. critical-infrastructure sectors (PPD-21, as CISA lists them), with their display names.
 * Keys are stable identifiers; labels may be renamed (NSM-22 calls government facilities "Government
 * Services and Facilities").
 */
export const SECTORS = {
  chemical: 'Chemical',
  commercial_facilities: 'Commercial Facilities',
  communications: 'Communications',
  critical_manufacturing: 'Critical Manufacturing',
  dams: 'Dams',
  defense_industrial_base: 'Defense Industrial Base',
  emergency_services: 'Emergency Services',
  energy: 'Energy',
  financial_services: 'Financial Services',
  food_and_agriculture: 'Food and Agriculture',
  government_facilities: 'Government Services and Facilities',
  healthcare_public_health: 'Healthcare and Public Health',
  information_technology: 'Information Technology',
  nuclear: 'Nuclear Reactors, Materials, and Waste',
  transportation: 'Transportation Systems',
  water: 'Water and Wastewater Systems',
} as const;
export type Sector = keyof typeof SECTORS;
export const SECTOR_KEYS = Object.keys(SECTORS) as Sector[];

export function isOrgKind(value: string): value is OrgKind {
  return (ORG_KINDS as readonly string[]).includes(value);
}

export function isSector(value: string): value is Sector {
  return Object.hasOwn(SECTORS, value);
}
