import type { District, Role } from '../domain/types.ts';

/** The authenticated caller, from a verified bearer token. */
export interface Principal {
  subject: string;
  role: Role;
  /** For `district` and `district_admin`. */
  district?: District;
  /** For `institution`. */
  uscc?: string;
  /** For `association`: the industry association, e.g. 中国整形美容协会. */
  association?: string;
}
