import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { Requires } from '../../auth/auth-checker.js';
import { inTenantTransaction } from '../../auth/tenant-scope.js';
import type { RequestContext } from '../../context.js';
import type { DeploymentStatus } from '../../entities/domain/deployment.entity.js';
import { DeploymentStatusEnum } from '../../schema/types/domain/enums.js';
import {
  AllocationType,
  CommissionType,
  DeploymentType,
  InvoiceType,
  LicenseType,
  OrderType,
  OutboxEmailType,
  PaymentType,
  RadiusAccountType,
  SubscriptionType,
} from '../../schema/types/domain/records.type.js';
import { listInvoices, listPayments, listSubscriptions } from '../../services/billing/billing-records.js';
import { listOutboxEmails } from '../../services/communications/outbox-emails.js';
import { REDACTED_ACCOUNT_EMAIL, isAccountEmailTemplate } from '../../auth/users/account-emails.js';
import { listDeployments } from '../../services/deployment/deployment-records.js';
import { listLicenses } from '../../services/license/license-records.js';
import { listAllocations } from '../../services/network/allocation-records.js';
import { listCommissions } from '../../services/partner/commission-records.js';
import { listRadiusAccounts } from '../../services/radius/radius-accounts.js';
import { listOrders } from '../../services/sales/order-records.js';
import { actorOf } from './actor.js';

const FIRST = { nullable: true, description: '1–200, default 50.' } as const;

/** What the workflows made, read back: newest first, your tenant's only. */
@Resolver()
export class DomainRecordsResolver {
  @Requires('crm:view')
  @Query(() => [SubscriptionType])
  async subscriptions(
    @Arg('customerId', () => ID, { nullable: true }) customerId: string | null,
    @Arg('first', () => Int, FIRST) first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<SubscriptionType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => listSubscriptions(em, tenantId, { customerId, first }));
  }

  @Requires('crm:view')
  @Query(() => [InvoiceType])
  async invoices(
    @Arg('customerId', () => ID, { nullable: true }) customerId: string | null,
    @Arg('first', () => Int, FIRST) first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<InvoiceType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => listInvoices(em, tenantId, { customerId, first }));
  }

  @Requires('crm:view')
  @Query(() => [PaymentType])
  async payments(
    @Arg('customerId', () => ID, { nullable: true }) customerId: string | null,
    @Arg('first', () => Int, FIRST) first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<PaymentType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => listPayments(em, tenantId, { customerId, first }));
  }

  @Requires('crm:view')
  @Query(() => [LicenseType])
  async licenses(
    @Arg('customerId', () => ID, { nullable: true }) customerId: string | null,
    @Arg('first', () => Int, FIRST) first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<LicenseType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => listLicenses(em, tenantId, { customerId, first }));
  }

  @Requires('crm:view')
  @Query(() => [DeploymentType], {
    description: 'Deployment slots booked for orders (SCHEDULED) and tenants provisioned for customers (PROVISIONED).',
  })
  async deployments(
    @Arg('status', () => DeploymentStatusEnum, { nullable: true }) status: DeploymentStatus | null,
    @Arg('customerId', () => ID, { nullable: true }) customerId: string | null,
    @Arg('first', () => Int, FIRST) first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<DeploymentType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => listDeployments(em, tenantId, { status, customerId, first }));
  }

  @Requires('crm:view')
  @Query(() => [OrderType])
  async orders(
    @Arg('customerId', () => ID, { nullable: true }) customerId: string | null,
    @Arg('first', () => Int, FIRST) first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<OrderType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => listOrders(em, tenantId, { customerId, first }));
  }

  @Requires('crm:view')
  @Query(() => [AllocationType], { description: 'IPv4 addresses and VLANs held (or once held) by service instances.' })
  async allocations(
    @Arg('customerId', () => ID, { nullable: true }) customerId: string | null,
    @Arg('first', () => Int, FIRST) first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<AllocationType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => listAllocations(em, tenantId, { customerId, first }));
  }

  @Requires('crm:view')
  @Query(() => [RadiusAccountType], { description: 'FreeRADIUS subscribers, by user name.' })
  async radiusAccounts(
    @Arg('username', () => String, { nullable: true }) username: string | null,
    @Arg('first', () => Int, FIRST) first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<RadiusAccountType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => listRadiusAccounts(em, tenantId, { username, first }));
  }

  @Requires('crm:view')
  @Query(() => [OutboxEmailType], { description: 'E-mails queued by workflows, as rendered.' })
  async outboxEmails(
    @Arg('template', () => String, { nullable: true }) template: string | null,
    @Arg('to', () => String, { nullable: true }) to: string | null,
    @Arg('first', () => Int, FIRST) first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<OutboxEmailType[]> {
    const { tenantId } = actorOf(ctx);
    const emails = await inTenantTransaction(ctx.em, tenantId, (em) => listOutboxEmails(em, tenantId, { template, to, first }));
    // Invitations and password resets carry a one-time token: whoever may read the outbox must not sign in with it.
    return emails.map((email) => (isAccountEmailTemplate(email.template) ? { ...email, text: REDACTED_ACCOUNT_EMAIL } : email));
  }

  @Requires('crm:view')
  @Query(() => [CommissionType], { description: "Partners' commissions; partnerId is a partner's id or code." })
  async commissions(
    @Arg('partnerId', () => String, { nullable: true }) partnerId: string | null,
    @Arg('first', () => Int, FIRST) first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<CommissionType[]> {
    const { tenantId } = actorOf(ctx);
    return inTenantTransaction(ctx.em, tenantId, (em) => listCommissions(em, tenantId, { partnerId, first }));
  }
}
