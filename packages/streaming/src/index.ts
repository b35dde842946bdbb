// The whole public surface of @forcekit/streaming. Nothing under src/internal/ is exported.

// What a PushTopic's query may be beside SOQL text: soql's type, re-exported for this package's users.
export type { SoqlSource } from '@forcekit/soql';
export { type ChannelKind, channelKind, cometdPath, parseChannel, toChannel } from './channels.js';
export { StreamingError, type StreamingErrorCode } from './errors.js';
export type {
  ChangeEvent,
  ChangeEventHeader,
  ChangeType,
  EventOf,
  GenericEvent,
  PlatformEvent,
  PushTopicEvent,
  StreamingEvent,
} from './events.js';
export { replayIdOf } from './events.js';
export { FileReplayStore, type FileReplayStoreOptions } from './file-replay-store.js';
export type { InvalidReplayPolicy, OverflowPolicy, StreamingOptions, SubscribeOptions } from './options.js';
export type { PublishEventResult, PublishOptions, PushResult } from './publish.js';
export type {
  CreatedPushTopic,
  NotifyForFields,
  PushTopicDefinition,
  PushTopicOperation,
} from './push-topics.js';
export { MemoryReplayStore, type ReplayStore } from './replay-store.js';
export { createStreaming, type Streaming, type Topic } from './streaming.js';
export type {
  ConnectInfo,
  DisconnectInfo,
  DisconnectReason,
  Subscription,
  SubscriptionEvents,
  SubscriptionListener,
} from './subscription.js';
