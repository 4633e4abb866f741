// Roles and what each may do, as data; and the org-unit scope of an account.
// The server enforces both on every route (the UI only mirrors them).

export const ROLES = ['admin', 'leader', 'staff', 'community', 'street', 'evaluator'] as const;
export type Role = (typeof ROLES)[number];

export type Permission = 'read' | 'import' | 'accounts' | 'audit';

const CAN: Record<Role, readonly Permission[]> = {
  admin: ['read', 'accounts', 'audit'],
  leader: ['read'],
  staff: ['read', 'import'],
  community: ['read', 'import'],
  street: ['read'],
  evaluator: ['read', 'audit'],
};

export const ROLE_ZH: Record<Role, string> = {
  admin: '系统管理员',
  leader: '领导',
  staff: '工作人员',
  community: '社区',
  street: '街道',
  evaluator: '评估人员',
};

export interface Principal {
  username: string;
  role: Role;
  /** Org-unit code prefix the account is limited to (community: 12 digits, street: 9); null = everything. */
  scope: string | null;
  /** The auto-logged-in read-only demo user. */
  demo: boolean;
}

export function can(p: Principal, perm: Permission): boolean {
  if (p.demo && perm !== 'read') return false;
  return CAN[p.role].includes(perm);
}

/** Scope code length a role needs (null: none allowed). */
export function scopeLength(role: Role): number | null {
  return role === 'community' ? 12 : role === 'street' ? 9 : null;
}

/** Whether an org unit (any level) is inside the principal's scope. */
export function inScope(p: Principal, code: string): boolean {
  return p.scope === null || code.startsWith(p.scope);
}

/** The levels a scoped principal may see: a community sees only its own; a street its street and communities. */
export function levelAllowed(p: Principal, level: 'community' | 'street' | 'district'): boolean {
  if (p.scope === null) return true;
  if (level === 'district') return false;
  if (level === 'street') return p.scope.length <= 9;
  return true;
}
