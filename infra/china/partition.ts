import type { Settings } from '../settings.ts';

/** The AWS China regions (partition aws-cn): Beijing and Ningxia. */
export const CHINA_REGIONS = ['cn-north-1', 'cn-northwest-1'] as const;

/** The region decides the partition, and with it the profile the app synthesises. */
export function isChinaRegion(region: string): boolean {
  return (CHINA_REGIONS as readonly string[]).includes(region);
}

/** The China profile's settings: what it cannot be deployed without is required, by its context key. */
export interface ChinaSettings extends Settings {
  domainName: string;
  icpNumber: string;
  oidcIssuer: string;
  oidcAudience: string;
}

const REQUIRED = ['domainName', 'icpNumber', 'oidcIssuer', 'oidcAudience'] as const;

/**
 * Every custom domain in China needs the account's ICP filing (and the default execute-api endpoint is
 * switched off), so the domain and the filing number are required there, as is an identity provider.
 */
export function chinaSettings(settings: Settings): ChinaSettings {
  const missing = REQUIRED.filter((k) => !settings[k]);
  if (missing.length > 0) {
    throw new Error(
      `invalid deployment context: the China profile (${settings.region}) needs ${missing.map((k) => `-c ${k}=...`).join(' ')}`,
    );
  }
  return settings as ChinaSettings;
}
