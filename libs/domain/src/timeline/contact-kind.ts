export enum ContactKind {
  SIP_MEETING = 'SIP_MEETING',
  TEAM_MEETING = 'TEAM_MEETING',
  PHONE = 'PHONE',
  HOME_VISIT = 'HOME_VISIT',
  OUTREACH = 'OUTREACH',
  /** Accompanying the person to care (ledsagning). */
  ACCOMPANYING_TO_CARE = 'ACCOMPANYING_TO_CARE',
  OFFICE_VISIT = 'OFFICE_VISIT',
}
