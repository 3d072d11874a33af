import { Principal } from './organisation/organisation.enums';
import { Profession } from './staff/profession';

/** The authenticated staff member on whose behalf a domain operation runs. */
export interface Actor {
  staffId: string;
  organisationId: string;
  unitId: string | null;
  profession: Profession;
  /** The principal of the actor's organisation. */
  principal: Principal;
  /** May maintain the directory (organisations, staff, ACT teams); sees no person because of it. */
  administrator?: boolean;
}
