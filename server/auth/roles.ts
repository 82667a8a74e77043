/** Who may do what in the clinic. */
export const ROLES = ['operator', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The person (or integration) behind a request or a live socket. */
export interface Caller {
  role: Role;
  /** Null for the admin token (scripts, integrations, the first sign-in). */
  personId: string | null;
  name: string;
  /** The chair an operator's tablet belongs to; null for everyone else. */
  chairId: string | null;
}

export const ADMIN_TOKEN_CALLER: Caller = { role: 'admin', personId: null, name: 'admin token', chairId: null };

/** Whether `caller` may act on `chairId`: an operator only on the chair their tablet serves. */
export function mayUseChair(caller: Caller, chairId: string): boolean {
  return caller.role !== 'operator' || caller.chairId === chairId;
}
