// Type tests: checked by `tsc` (the repository's typecheck); at run time nothing here touches `streaming`.
import { describe, expectTypeOf, it } from 'vitest';
import type {
  ChangeEvent,
  EventOf,
  GenericEvent,
  PlatformEvent,
  PushTopicEvent,
  Streaming,
  StreamingEvent,
  Subscription,
} from '../src/index.js';

declare const streaming: Streaming;

describe('event types', () => {
  it('follow the channel prefix', () => {
    expectTypeOf<EventOf<'/topic/Invoices'>>().toEqualTypeOf<PushTopicEvent>();
    expectTypeOf<EventOf<'/event/Low_Ink__e'>>().toEqualTypeOf<PlatformEvent>();
    expectTypeOf<EventOf<'/data/AccountChangeEvent'>>().toEqualTypeOf<ChangeEvent>();
    expectTypeOf<EventOf<'/u/News'>>().toEqualTypeOf<GenericEvent>();
    expectTypeOf<EventOf<string>>().toEqualTypeOf<StreamingEvent>();
  });

  it('type subscribe() by its channel literal', () => {
    expectTypeOf(() => streaming.subscribe('/topic/Invoices')).returns.toEqualTypeOf<
      Subscription<PushTopicEvent>
    >();
    expectTypeOf(() => streaming.subscribe('/u/News')).returns.toEqualTypeOf<Subscription<GenericEvent>>();
  });

  it('take the fields from a type argument', () => {
    expectTypeOf(() =>
      streaming.subscribe<PushTopicEvent<{ Name: string }>>('/topic/Invoices'),
    ).returns.toEqualTypeOf<Subscription<PushTopicEvent<{ Name: string }>>>();
    type Event = PushTopicEvent<{ Name: string }>;
    expectTypeOf<Event['sobject']['Name']>().toEqualTypeOf<string>();
    expectTypeOf<Event['sobject']['Id']>().toEqualTypeOf<string>();
    expectTypeOf<Event['event']['type']>().toEqualTypeOf<'created' | 'updated' | 'deleted' | 'undeleted'>();
  });

  it('give change events their header', () => {
    expectTypeOf<ChangeEvent['payload']['ChangeEventHeader']['recordIds']>().toEqualTypeOf<
      readonly string[]
    >();
  });

  it('type the listeners and the iteration of a subscription', () => {
    type Sub = Subscription<PlatformEvent>;
    expectTypeOf<Parameters<Sub['on']>[0]>().toEqualTypeOf<'data' | 'connect' | 'disconnect' | 'error'>();
    expectTypeOf<Sub>().toExtend<AsyncIterable<PlatformEvent>>();
    expectTypeOf<Sub>().toExtend<AsyncDisposable>();
    expectTypeOf(() => streaming.topic('AllAccounts'))
      .returns.toHaveProperty('subscribe')
      .parameter(0)
      .parameter(0)
      .toEqualTypeOf<PushTopicEvent>();
  });
});
