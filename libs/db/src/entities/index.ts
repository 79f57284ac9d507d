import { AccessGrant } from './access-grant.entity.js';
import { AccessRequest } from './access-request.entity.js';
import { ApiKey } from './api-key.entity.js';
import { AuditEvent } from './audit-event.entity.js';
import { AuditVerification } from './audit-verification.entity.js';
import { DatasetColumn } from './dataset-column.entity.js';
import { DatasetDelivery } from './dataset-delivery.entity.js';
import { DatasetVersion } from './dataset-version.entity.js';
import { Dataset } from './dataset.entity.js';
import { Ingestion } from './ingestion.entity.js';
import { Invitation } from './invitation.entity.js';
import { Membership } from './membership.entity.js';
import { Organization } from './organization.entity.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { Notification } from './notification.entity.js';
import { RefreshToken } from './refresh-token.entity.js';
import { User } from './user.entity.js';
import { DerivationRun } from './derivation-run.entity.js';
import { ProductReview } from './product-review.entity.js';
import { ProductVersion, ProductVersionInput } from './product-version.entity.js';
import { Product, ProductInput } from './product.entity.js';
import {
  LicenseTemplate,
  PriceCapRecord,
  Offer,
  License,
  LicenseEvent,
  LicenseApproval,
  Invoice,
  InvoiceLine,
  Payment,
  PaymentProviderEvent,
  StripeCustomer,
  StripeConnectAccount,
} from './commerce.entity.js';

export {
  AccessGrant,
  AccessRequest,
  ApiKey,
  AuditEvent,
  AuditVerification,
  Dataset,
  DatasetColumn,
  DatasetDelivery,
  DatasetVersion,
  Ingestion,
  Invitation,
  Membership,
  Organization,
  OutboxMessage,
  Notification,
  RefreshToken,
  User,
  Product,
  ProductInput,
  ProductVersion,
  ProductVersionInput,
  DerivationRun,
  ProductReview,
  LicenseTemplate,
  PriceCapRecord,
  Offer,
  License,
  LicenseEvent,
  LicenseApproval,
  Invoice,
  InvoiceLine,
  Payment,
  PaymentProviderEvent,
  StripeCustomer,
  StripeConnectAccount,
};
export type { InvoiceKind, InvoiceStatus, LicenseState, OfferStatus, PaymentProviderName } from './commerce.entity.js';
export type { SuspensionReason } from './product.entity.js';
export { DERIVATION_STAGES, type DerivationRunStatus, type DerivationStage, type ResolvedRunInput } from './derivation-run.entity.js';
export type { InvitationStatus } from './invitation.entity.js';
export type { DatasetStatus, SourceFormat } from './dataset.entity.js';
export type { ColumnProfileRecord } from './dataset-version.entity.js';
export type { IngestionStage, IngestionStatus } from './ingestion.entity.js';
export type { AccessRequestStatus } from './access-request.entity.js';

export const ENTITIES = [
  Organization,
  User,
  Membership,
  Invitation,
  RefreshToken,
  ApiKey,
  AuditEvent,
  AuditVerification,
  OutboxMessage,
  Notification,
  Dataset,
  DatasetVersion,
  DatasetColumn,
  Ingestion,
  AccessRequest,
  AccessGrant,
  DatasetDelivery,
  Product,
  ProductInput,
  ProductVersion,
  ProductVersionInput,
  DerivationRun,
  ProductReview,
  LicenseTemplate,
  PriceCapRecord,
  Offer,
  License,
  LicenseEvent,
  LicenseApproval,
  Invoice,
  InvoiceLine,
  Payment,
  PaymentProviderEvent,
  StripeCustomer,
  StripeConnectAccount,
];
