export type { AuthorizationCodeGrant } from './auth/authorization-codes.js';
export type { ConnectedApp, ConnectedAppOptions, ConnectedApps } from './auth/connected-apps.js';
export type { Session, SessionOrigin, SessionStore } from './auth/sessions.js';
export type { CreateUserOptions, EmulatorUser, UserCredentials, UserDirectory } from './auth/users.js';
export type { BulkOptions, BulkSettings } from './bulk/options.js';
export type { BulkJobSummary, BulkService, FailNextJobOptions } from './bulk/service.js';
export type { Dml } from './data/dml.js';
export type { DmlError } from './data/errors.js';
export type { ChangeEvent, ChangeType, PlatformEventMessage } from './data/events.js';
export type { GenerateOverrides } from './data/generate.js';
export type { DataStore } from './data/store.js';
export type { AuthInfo, RestErrorItem } from './http/context.js';
export { HttpError, RequestContext } from './http/context.js';
export type { Handler, RouteAuth, RouteOptions } from './http/router.js';
export { Router } from './http/router.js';
export { IdFactory, isId, KEY_PREFIXES, to18 } from './ids.js';
export type { CreatedUser, OrgOptions } from './org.js';
export { Org } from './org.js';
export type { Clock, ClockOptions } from './platform/clock.js';
export type {
  DropFaultOptions,
  DropPoint,
  ErrorFaultOptions,
  FaultHandle,
  FaultInfo,
  FaultInjector,
  FaultScope,
  FaultSpec,
  LatencyFaultOptions,
} from './platform/faults.js';
export type { ApiLimits, LimitsOptions, LimitValue } from './platform/limits.js';
export type { PathPattern } from './platform/path-pattern.js';
export type { LoggedRequest, RequestLog } from './platform/request-log.js';
export type { ApexHandler, ApexMethod, ApexRequest, ApexResponse } from './rest/apex.js';
export type { CustomFieldInput, CustomObjectInput } from './schema/custom.js';
export type { FieldDef, ObjectDef } from './schema/field.js';
export type { FieldSchema, FieldType, ObjectSchema, StoredRecord } from './schema/types.js';
export type { Emulator, EmulatorCredentials, EmulatorOptions } from './server.js';
export { startEmulator } from './server.js';
export type { ResolvedStreamingOptions, StreamingOptions } from './streaming/options.js';
export type { RetainedEventInfo, StreamingClientInfo, StreamingControl } from './streaming/service.js';
