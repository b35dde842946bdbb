/** The oldest REST API version live orgs still serve (versions up to 30.0 are retired). */
export const OLDEST_API_VERSION = 31;

const SEASONS = ['Winter', 'Spring', 'Summer'] as const;

export interface ApiVersionEntry {
  readonly label: string;
  readonly url: string;
  readonly version: string;
}

/**
 * The release name of an API version: three releases a year since Winter '11 (v20.0), each named for
 * the season and the year it belongs to (`62.0` is `Winter '25`).
 */
export function releaseLabel(major: number): string {
  const k = major - 20;
  const season = SEASONS[((k % 3) + 3) % 3] as string;
  const year = 11 + Math.floor(k / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

/** `GET /services/data`: every served version, oldest first, keys in the captured order. */
export function versionsList(latest: string): ApiVersionEntry[] {
  const newest = Number.parseInt(latest, 10);
  const out: ApiVersionEntry[] = [];
  for (let major = OLDEST_API_VERSION; major <= newest; major++) {
    const version = `${major}.0`;
    out.push({ label: releaseLabel(major), url: `/services/data/v${version}`, version });
  }
  return out;
}

/** True when the org serves `version` (`62.0`, without the `v`). */
export function isServedVersion(version: string, latest: string): boolean {
  const match = /^(\d{2})\.0$/.exec(version);
  if (!match) return false;
  const major = Number.parseInt(match[1] as string, 10);
  return major >= OLDEST_API_VERSION && major <= Number.parseInt(latest, 10);
}

/** Resource names of `GET /services/data/vNN.N/`, in the order Salesforce lists them (v66 docs). */
const RESOURCE_NAMES = [
  'tooling',
  'metadata',
  'eclair',
  'folders',
  'prechatForms',
  'contact-tracing',
  'jsonxform',
  'chatter',
  'payments',
  'tabs',
  'appMenu',
  'quickActions',
  'queryAll',
  'commerce',
  'wave',
  'iot',
  'analytics',
  'search',
  'smartdatadiscovery',
  'identity',
  'composite',
  'parameterizedSearch',
  'fingerprint',
  'theme',
  'nouns',
  'domino',
  'event',
  'serviceTemplates',
  'recent',
  'connect',
  'licensing',
  'limits',
  'process',
  'dedupe',
  'async-queries',
  'query',
  'jobs',
  'localizedvalue',
  'mobile',
  'emailConnect',
  'consent',
  'tokenizer',
  'compactLayouts',
  'async',
  'sobjects',
  'actions',
  'support',
] as const;

/** The resources document of one version; `identity` is the caller's absolute identity URL. */
export function resourcesByVersion(version: string, identityUrl: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of RESOURCE_NAMES) {
    out[name] = name === 'identity' ? identityUrl : `/services/data/v${version}/${name}`;
  }
  return out;
}
