/** API usage as Salesforce reports it on every REST response in `Sforce-Limit-Info`. */
export interface LimitInfo {
  /** Calls made in the org's rolling 24-hour window. */
  readonly used: number;
  /** The org's daily allowance. */
  readonly max: number;
  /** The connected app's own quota, when the app has one (`per-app-api-usage=17/250(appName=MyApp)`). */
  readonly perApp?: { readonly used: number; readonly max: number; readonly appName: string };
}

const API_USAGE = /(?:^|[,\s])api-usage=(\d+)\/(\d+)/;
const PER_APP_USAGE = /per-app-api-usage=(\d+)\/(\d+)\(appName=([^)]*)\)/;

/** Parses `api-usage=18/15000[, per-app-api-usage=17/250(appName=MyApp)]`; undefined if unreadable. */
export function parseLimitInfo(header: string | undefined): LimitInfo | undefined {
  if (header === undefined) return undefined;
  const usage = API_USAGE.exec(header);
  if (usage === null) return undefined;
  const used = Number(usage[1]);
  const max = Number(usage[2]);
  const app = PER_APP_USAGE.exec(header);
  if (app === null) return { used, max };
  return { used, max, perApp: { used: Number(app[1]), max: Number(app[2]), appName: app[3] ?? '' } };
}
