import { Migration } from '@mikro-orm/migrations';

/**
 * The operations services' tables: e-mail templates and the outbox, notifications and team webhooks,
 * tickets with per-tenant counters, technicians and their appointments, site surveys, IP pools and VLAN
 * ranges with their allocations, service instances, FreeRADIUS's radcheck/radreply/radusergroup, CPE
 * devices. Generated from the entities (scripts/schema-diff.mjs); by hand: btree_gist, which the
 * appointments' exclusion constraint needs (a uuid `=` inside a GiST index).
 */
export class Migration20261122030000_operations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists btree_gist;`);
    this.addSql(
      `create table "technicians" ("id" uuid not null, "tenant_id" uuid not null, "name" text not null, "email" text not null, "phone" text null, "active" boolean not null default true, "created_at" timestamptz not null, constraint "technicians_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "technicians" add constraint "technicians_tenant_id_email_unique" unique ("tenant_id", "email");`);
    this.addSql(
      `create table "team_webhooks" ("id" uuid not null, "tenant_id" uuid not null, "team" text not null, "url" text not null, "secret" text not null, "active" boolean not null default true, "created_at" timestamptz not null, constraint "team_webhooks_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "team_webhooks" add constraint "team_webhooks_tenant_id_team_url_unique" unique ("tenant_id", "team", "url");`,
    );
    this.addSql(
      `create table "radusergroup" ("id" serial primary key, "tenant_id" uuid not null, "username" text not null default '', "groupname" text not null default '', "priority" int not null default 0);`,
    );
    this.addSql(`create index "radusergroup_tenant_id_index" on "radusergroup" ("tenant_id");`);
    this.addSql(`create index "radusergroup_username_index" on "radusergroup" ("username");`);
    this.addSql(
      `create table "radreply" ("id" serial primary key, "tenant_id" uuid not null, "username" text not null default '', "attribute" text not null default '', "op" varchar(2) not null default '=', "value" text not null default '');`,
    );
    this.addSql(`create index "radreply_tenant_id_index" on "radreply" ("tenant_id");`);
    this.addSql(`create index "radreply_username_attribute_index" on "radreply" ("username", "attribute");`);
    this.addSql(
      `create table "radcheck" ("id" serial primary key, "tenant_id" uuid not null, "username" text not null default '', "attribute" text not null default '', "op" varchar(2) not null default '==', "value" text not null default '');`,
    );
    this.addSql(`create index "radcheck_tenant_id_index" on "radcheck" ("tenant_id");`);
    this.addSql(`alter table "radcheck" add constraint "radcheck_username_attribute_unique" unique ("username", "attribute");`);
    this.addSql(
      `create table "outbox_messages" ("id" uuid not null, "tenant_id" uuid not null, "kind" text check ("kind" in ('email', 'webhook')) not null, "payload" jsonb not null, "status" text check ("status" in ('pending', 'sent', 'failed')) not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "last_error" text null, "sent_at" timestamptz null, "created_at" timestamptz not null, constraint "outbox_messages_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "outbox_messages_pending_index" on "outbox_messages" ("next_attempt_at") where "status" = 'pending';`);
    this.addSql(
      `create table "notifications" ("id" uuid not null, "tenant_id" uuid not null, "team" text not null, "subject" text not null, "message" text not null, "metadata" jsonb not null, "read_at" timestamptz null, "created_at" timestamptz not null, constraint "notifications_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "notifications_tenant_id_team_created_at_index" on "notifications" ("tenant_id", "team", "created_at");`);
    this.addSql(
      `create table "ip_pools" ("id" uuid not null, "tenant_id" uuid not null, "name" text not null, "location" text not null, "cidr" cidr not null, "gateway" inet null, "range_start" inet null, "range_end" inet null, "netbox_prefix_id" int null, "created_at" timestamptz not null, constraint "ip_pools_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "ip_pools_tenant_id_location_index" on "ip_pools" ("tenant_id", "location");`);
    this.addSql(`alter table "ip_pools" add constraint "ip_pools_tenant_id_name_unique" unique ("tenant_id", "name");`);
    this.addSql(
      `create table "email_templates" ("id" uuid not null, "tenant_id" uuid not null, "name" text not null, "subject" text not null, "text_body" text not null, "html_body" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "email_templates_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "email_templates" add constraint "email_templates_tenant_id_name_unique" unique ("tenant_id", "name");`);
    this.addSql(
      `create table "site_surveys" ("id" uuid not null, "tenant_id" uuid not null, "customer_id" uuid not null, "status" text check ("status" in ('scheduled', 'completed', 'cancelled')) not null default 'scheduled', "address" text not null, "latitude" double precision null, "longitude" double precision null, "signal_strength_dbm" double precision null, "recommended_bandwidth" text null, "cpe_serial" text null, "service_location" text null, "notes" text null, "completed_at" timestamptz null, "created_at" timestamptz not null, constraint "site_surveys_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "site_surveys_tenant_id_customer_id_completed_at_index" on "site_surveys" ("tenant_id", "customer_id", "completed_at");`,
    );
    this.addSql(
      `create table "service_instances" ("id" uuid not null, "tenant_id" uuid not null, "customer_id" uuid not null, "location" text not null, "bandwidth_plan" text not null, "status" text check ("status" in ('provisioning', 'active', 'suspended', 'released')) not null default 'provisioning', "ip_address" inet not null, "vlan_id" int not null, "username" text not null, "idempotency_key" text not null, "activated_at" timestamptz null, "billing_starts_at" timestamptz null, "released_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "service_instances_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "service_instances" add constraint "service_instances_username_unique" unique ("username");`);
    this.addSql(`create index "service_instances_tenant_id_customer_id_index" on "service_instances" ("tenant_id", "customer_id");`);
    this.addSql(
      `alter table "service_instances" add constraint "service_instances_tenant_id_idempotency_key_unique" unique ("tenant_id", "idempotency_key");`,
    );
    this.addSql(
      `create table "ip_allocations" ("id" uuid not null, "tenant_id" uuid not null, "pool_id" uuid not null, "address" inet not null, "service_instance_id" uuid not null, "external_id" text null, "allocated_at" timestamptz not null, "released_at" timestamptz null, constraint "ip_allocations_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "ip_allocations_service_instance_id_index" on "ip_allocations" ("service_instance_id");`);
    this.addSql(
      `create unique index "ip_allocations_live_address_unique" on "ip_allocations" ("pool_id", "address") where "released_at" is null;`,
    );
    this.addSql(
      `create table "cpe_devices" ("id" uuid not null, "tenant_id" uuid not null, "customer_id" uuid null, "serial" text not null, "acs_device_id" text null, "last_provision_key" text null, "last_provision_result" jsonb null, "last_provisioned_at" timestamptz null, "created_at" timestamptz not null, constraint "cpe_devices_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "cpe_devices" add constraint "cpe_devices_tenant_id_serial_unique" unique ("tenant_id", "serial");`);
    this.addSql(
      `create table "tickets" ("id" uuid not null, "tenant_id" uuid not null, "number" int not null, "kind" text check ("kind" in ('support', 'onboarding', 'installation')) not null default 'support', "title" text not null, "description" text not null default '', "customer_id" uuid null, "priority" text check ("priority" in ('low', 'medium', 'high', 'urgent')) not null default 'medium', "status" text check ("status" in ('open', 'scheduled', 'in_progress', 'resolved', 'closed')) not null default 'open', "assigned_team" text null, "installation_address" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "tickets_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "tickets_tenant_id_customer_id_index" on "tickets" ("tenant_id", "customer_id");`);
    this.addSql(`alter table "tickets" add constraint "tickets_tenant_id_number_unique" unique ("tenant_id", "number");`);
    this.addSql(
      `create table "technician_appointments" ("id" uuid not null, "tenant_id" uuid not null, "technician_id" uuid not null, "ticket_id" uuid not null, "customer_id" uuid not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "address" text not null, "status" text check ("status" in ('scheduled', 'completed', 'cancelled')) not null default 'scheduled', "created_at" timestamptz not null, constraint "technician_appointments_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "technician_appointments_ticket_id_index" on "technician_appointments" ("ticket_id");`);
    this.addSql(
      `alter table "technician_appointments" add constraint "technician_appointments_no_overlap" exclude using gist ("technician_id" with =, tstzrange("starts_at", "ends_at") with &&) where ("status" <> 'cancelled');`,
    );
    this.addSql(
      `create table "ticket_counters" ("tenant_id" uuid not null, "last_number" int not null, constraint "ticket_counters_pkey" primary key ("tenant_id"));`,
    );
    this.addSql(
      `create table "vlan_ranges" ("id" uuid not null, "tenant_id" uuid not null, "name" text not null, "location" text not null, "first_vlan" int not null, "last_vlan" int not null, "created_at" timestamptz not null, constraint "vlan_ranges_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "vlan_ranges_tenant_id_location_index" on "vlan_ranges" ("tenant_id", "location");`);
    this.addSql(`alter table "vlan_ranges" add constraint "vlan_ranges_tenant_id_name_unique" unique ("tenant_id", "name");`);
    this.addSql(
      `create table "vlan_allocations" ("id" uuid not null, "tenant_id" uuid not null, "range_id" uuid not null, "vlan_id" int not null, "service_instance_id" uuid not null, "allocated_at" timestamptz not null, "released_at" timestamptz null, constraint "vlan_allocations_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "vlan_allocations_service_instance_id_index" on "vlan_allocations" ("service_instance_id");`);
    this.addSql(
      `create unique index "vlan_allocations_live_vlan_unique" on "vlan_allocations" ("range_id", "vlan_id") where "released_at" is null;`,
    );
    this.addSql(
      `alter table "technicians" add constraint "technicians_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "team_webhooks" add constraint "team_webhooks_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "radusergroup" add constraint "radusergroup_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "radreply" add constraint "radreply_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "radcheck" add constraint "radcheck_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "outbox_messages" add constraint "outbox_messages_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "notifications" add constraint "notifications_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "ip_pools" add constraint "ip_pools_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "email_templates" add constraint "email_templates_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "site_surveys" add constraint "site_surveys_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "site_surveys" add constraint "site_surveys_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "service_instances" add constraint "service_instances_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "service_instances" add constraint "service_instances_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "ip_allocations" add constraint "ip_allocations_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "ip_allocations" add constraint "ip_allocations_pool_id_foreign" foreign key ("pool_id") references "ip_pools" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "ip_allocations" add constraint "ip_allocations_service_instance_id_foreign" foreign key ("service_instance_id") references "service_instances" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "cpe_devices" add constraint "cpe_devices_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "cpe_devices" add constraint "cpe_devices_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "tickets" add constraint "tickets_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "tickets" add constraint "tickets_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "technician_appointments" add constraint "technician_appointments_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "technician_appointments" add constraint "technician_appointments_technician_id_foreign" foreign key ("technician_id") references "technicians" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "technician_appointments" add constraint "technician_appointments_ticket_id_foreign" foreign key ("ticket_id") references "tickets" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "technician_appointments" add constraint "technician_appointments_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "ticket_counters" add constraint "ticket_counters_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "vlan_ranges" add constraint "vlan_ranges_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "vlan_allocations" add constraint "vlan_allocations_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "vlan_allocations" add constraint "vlan_allocations_range_id_foreign" foreign key ("range_id") references "vlan_ranges" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "vlan_allocations" add constraint "vlan_allocations_service_instance_id_foreign" foreign key ("service_instance_id") references "service_instances" ("id") on update cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      'drop table if exists "cpe_devices", "radusergroup", "radreply", "radcheck", "vlan_allocations", "vlan_ranges", "ip_allocations", "ip_pools", ' +
        '"service_instances", "site_surveys", "technician_appointments", "technicians", "ticket_counters", "tickets", "team_webhooks", "notifications", ' +
        '"outbox_messages", "email_templates" cascade;',
    );
  }
}
