import { ApiKey } from './api-key.entity.js';
import { AuditEvent } from './audit-event.entity.js';
import { AuditVerification } from './audit-verification.entity.js';
import { Invitation } from './invitation.entity.js';
import { Membership } from './membership.entity.js';
import { Organization } from './organization.entity.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { RefreshToken } from './refresh-token.entity.js';
import { User } from './user.entity.js';

export { ApiKey, AuditEvent, AuditVerification, Invitation, Membership, Organization, OutboxMessage, RefreshToken, User };
export type { InvitationStatus } from './invitation.entity.js';

export const ENTITIES = [Organization, User, Membership, Invitation, RefreshToken, ApiKey, AuditEvent, AuditVerification, OutboxMessage];
