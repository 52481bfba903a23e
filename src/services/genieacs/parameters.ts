import { z } from 'zod';
import type { ParameterValue } from './genieacs-client.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
/** `[path, value, type]`; the type defaults to xsd:string. */
const parameterValue = z
  .union([z.tuple([z.string().min(1), scalar, z.string().min(1)]), z.tuple([z.string().min(1), scalar])])
  .transform((value): ParameterValue => (value.length === 3 ? value : [value[0], value[1], 'xsd:string']));

/**
 * What to set on the CPE. Keys may be camelCase or snake_case (`pppoe_username`). Wi-Fi passphrases are
 * WPA2's 8–63 characters. `extraParameters` covers devices whose instance numbers differ from the
 * defaults below.
 */
export const configTemplateSchema = z.preprocess(
  (value) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value).map(([key, item]) => [key.replace(/_([a-z0-9])/g, (_, char: string) => char.toUpperCase()), item]),
        )
      : value,
  z
    .object({
      pppoeUsername: z.string().min(1).optional(),
      pppoePassword: z.string().min(1).optional(),
      wifiSsid: z.string().min(1).max(32).optional(),
      wifiPassword: z.string().min(8).max(63).optional(),
      dataModel: z.enum(['tr098', 'tr181']).optional(),
      extraParameters: z.array(parameterValue).default([]),
    })
    .refine((template) => (template.pppoeUsername === undefined) === (template.pppoePassword === undefined), {
      message: 'pppoeUsername and pppoePassword go together',
    })
    .refine((template) => template.pppoeUsername || template.wifiSsid || template.extraParameters.length > 0, {
      message: 'nothing to configure',
    }),
);
export type ConfigTemplate = z.infer<typeof configTemplateSchema>;

const PATHS = {
  tr098: {
    pppoeUsername: 'InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANPPPConnection.1.Username',
    pppoePassword: 'InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANPPPConnection.1.Password',
    wifiSsid: 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID',
    wifiPassword: 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.PreSharedKey.1.KeyPassphrase',
  },
  tr181: {
    pppoeUsername: 'Device.PPP.Interface.1.Username',
    pppoePassword: 'Device.PPP.Interface.1.Password',
    wifiSsid: 'Device.WiFi.SSID.1.SSID',
    wifiPassword: 'Device.WiFi.AccessPoint.1.Security.KeyPassphrase',
  },
} as const;

/** The setParameterValues list for a template on a device of the given data model. */
export function parameterValuesFor(template: ConfigTemplate, dataModel: 'tr098' | 'tr181'): ParameterValue[] {
  const paths = PATHS[dataModel];
  const values: ParameterValue[] = [];
  for (const key of ['pppoeUsername', 'pppoePassword', 'wifiSsid', 'wifiPassword'] as const) {
    const value = template[key];
    if (value !== undefined) values.push([paths[key], value, 'xsd:string']);
  }
  return [...values, ...template.extraParameters];
}

/** Order-insensitive equality of two parameter lists (a pending task is ours when it sets exactly these). */
export function sameParameterValues(a: readonly ParameterValue[], b: readonly ParameterValue[]): boolean {
  const key = (values: readonly ParameterValue[]) => JSON.stringify([...values].map((value) => JSON.stringify(value)).sort());
  return key(a) === key(b);
}
