/** How a query runs: the caller's API version and user, `queryAll` or not, and the clock. */
export interface SoqlOptions {
  /** `queryAll`: include soft-deleted rows (`IsDeleted = true`). */
  readonly includeDeleted: boolean;
  /** `62.0`: used in every record's `attributes.url`. */
  readonly apiVersion: string;
  /** The instant relative date literals (`TODAY`, `LAST_N_DAYS:7`) are computed from. Default: now. */
  readonly now?: Date;
  /** The running user, for `USING SCOPE mine`. Default: the org's `userId`. */
  readonly userId?: string;
}
