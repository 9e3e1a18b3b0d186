/** What a signed-in user may do: admins run campaigns, analysts read reports. */
export type Role = 'admin' | 'analyst';
export const ROLES: readonly Role[] = ['admin', 'analyst'];
