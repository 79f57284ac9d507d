import {
  effectivePermissions,
  FOUNDING_ROLE,
  hasPermission,
  isAdminRole,
  isRoleAllowedFor,
  ORGANIZATION_KINDS,
  ROLES,
  ROLES_BY_ORGANIZATION_KIND,
} from './roles.js';

describe('roles and permissions', () => {
  it('gives every organization kind a founding role that can manage members', () => {
    for (const kind of ORGANIZATION_KINDS) {
      expect(isRoleAllowedFor(kind, FOUNDING_ROLE[kind])).toBe(true);
      expect(isAdminRole(FOUNDING_ROLE[kind])).toBe(true);
    }
  });

  it('places every role in exactly one kind of organization', () => {
    for (const role of ROLES) {
      const kinds = ORGANIZATION_KINDS.filter((kind) => ROLES_BY_ORGANIZATION_KIND[kind].includes(role));
      expect(kinds).toHaveLength(1);
    }
  });

  it('keeps the supervisor read-only', () => {
    const granted = effectivePermissions('supervisor', 'active');
    expect(granted).toContain('audit:read');
    expect(granted.filter((permission) => permission.endsWith(':manage') || permission === 'queues:admin')).toEqual([]);
    // Supervisors read every product review but decide none.
    expect(granted).toContain('product_reviews:read');
    expect(granted).not.toContain('products:review');
  });

  it('lets everyone who reviews products read reviews', () => {
    for (const role of ROLES) {
      const granted = effectivePermissions(role, 'active');
      if (granted.includes('products:review')) expect(granted).toContain('product_reviews:read');
    }
  });

  it('lets only platform operators publish the standard licence templates', () => {
    expect(ROLES.filter((role) => effectivePermissions(role, 'active').includes('license_templates:manage'))).toEqual(['platform_admin']);
  });

  it('reduces a pending or suspended organization to reading its members', () => {
    expect(effectivePermissions('vendor_admin', 'pending_approval')).toEqual(['members:read']);
    expect(effectivePermissions('platform_admin', 'suspended')).toEqual(['members:read']);
    expect(effectivePermissions('buyer_member', 'active')).not.toContain('api_keys:manage');
  });

  it('requires every listed permission', () => {
    expect(hasPermission(['members:read'], ['members:read', 'members:manage'])).toBe(false);
    expect(hasPermission(['members:read', 'members:manage'], ['members:manage'])).toBe(true);
    expect(hasPermission([], [])).toBe(true);
  });
});
