/** Where provisioned tenants live and how many deployments a day can take. */
export interface DeploymentSettings {
  /** Provisioned tenants are served at https://<slug>.<tenantDomain>. */
  tenantDomain: string;
  /** Deployments booked per calendar day (UTC); a full day pushes the booking to the next free one. */
  slotsPerDay: number;
  /** How many days past the requested one scheduling looks for a free slot. */
  schedulingHorizonDays: number;
}

/** `*.localhost` resolves to this machine in browsers (RFC 6761), which suits a local-first default. */
export const DEFAULT_DEPLOYMENT_SETTINGS: DeploymentSettings = {
  tenantDomain: 'switchyard.localhost',
  slotsPerDay: 10,
  schedulingHorizonDays: 60,
};
