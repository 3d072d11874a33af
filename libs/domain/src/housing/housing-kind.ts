/** Where the person lives: the rungs of the housing staircase, Housing First, and the places in between. */
export enum HousingKind {
  STREET = 'STREET',
  /** Akutboende. */
  EMERGENCY_SHELTER = 'EMERGENCY_SHELTER',
  /** Stödboende where drug use is not tolerated. */
  SUPPORTED_HOUSING = 'SUPPORTED_HOUSING',
  /** Low-threshold stödboende that tolerates drug use. */
  SUPPORTED_HOUSING_DRUG_TOLERANT = 'SUPPORTED_HOUSING_DRUG_TOLERANT',
  /** Träningslägenhet. */
  TRAINING_FLAT = 'TRAINING_FLAT',
  /** Försökslägenhet (sublet with a view to a lease). */
  TRIAL_FLAT = 'TRIAL_FLAT',
  /** Bostad Först: a permanent ordinary flat without a sobriety requirement. */
  HOUSING_FIRST_FLAT = 'HOUSING_FIRST_FLAT',
  OWN_LEASE = 'OWN_LEASE',
  INSTITUTION = 'INSTITUTION',
  HOSPITAL = 'HOSPITAL',
}
