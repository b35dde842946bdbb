// The whole public surface of @forcekit/streaming. Nothing under src/internal/ is exported.

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
  SoqlSource,
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
