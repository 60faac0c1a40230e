export const ROLES = ['clerk', 'supervisor', 'prosecutor', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may do what: one table, used by every route, the README's table and the matrix test.
 * (DESIGN.md, "Roles".)
 */
export const PERMISSIONS = {
  read: ['clerk', 'supervisor', 'prosecutor', 'auditor', 'admin'],
  write: ['clerk', 'supervisor'],
  'disposal:propose': ['clerk', 'supervisor'],
  supervise: ['supervisor'],
  audit: ['clerk', 'supervisor', 'auditor'],
  ledger: ['clerk', 'supervisor', 'prosecutor', 'auditor', 'admin'],
  admin: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export const PERMISSION_DESCRIPTIONS: Record<Permission, string> = {
  read: 'read cases, items, history, locations, parties; get labels and reports',
  write: 'create cases, seizures, items, imports; custody events; locations, parties; print jobs',
  'disposal:propose': 'propose a disposal',
  supervise:
    'approve / reject / complete a disposal (never one’s own proposal), post corrections, change case status, resolve "unable to locate"',
  audit: 'run audits (start, scan, close)',
  ledger: 'export and verify the ledger',
  admin: 'users, tokens, backups',
};

export function allows(permission: Permission, role: Role): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
