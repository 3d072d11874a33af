/** The two public bodies that answer for the person (huvudmän); OTHER for everyone else who takes part. */
export enum Principal {
  MUNICIPALITY = 'MUNICIPALITY',
  REGION = 'REGION',
  OTHER = 'OTHER',
}

export enum OrganisationKind {
  /** Stadsdelsförvaltning: district social services. */
  DISTRICT_SOCIAL_SERVICES = 'DISTRICT_SOCIAL_SERVICES',
  /** The city-wide homelessness unit (Område hemlöshet). */
  CITY_HOMELESSNESS_UNIT = 'CITY_HOMELESSNESS_UNIT',
  PSYCHIATRIC_CLINIC = 'PSYCHIATRIC_CLINIC',
  ADDICTION_CARE = 'ADDICTION_CARE',
  PRIMARY_CARE = 'PRIMARY_CARE',
  NGO = 'NGO',
  HOUSING_PROVIDER = 'HOUSING_PROVIDER',
  OTHER = 'OTHER',
}
