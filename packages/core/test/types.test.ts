// Type tests: checked by `tsc` (the repository's typecheck); at run time nothing here touches `client`.
import { describe, expectTypeOf, it } from 'vitest';
import type {
  ClientOptions,
  RawResponse,
  RefreshEvent,
  Requester,
  SalesforceClient,
  Session,
} from '../src/index.js';

declare const client: SalesforceClient;

describe('public types', () => {
  it('types request() by responseType', () => {
    expectTypeOf(() =>
      client.request<{ totalSize: number }>({ path: 'query' }),
    ).returns.resolves.toEqualTypeOf<{
      totalSize: number;
    }>();
    expectTypeOf(() => client.request({ path: 'x' })).returns.resolves.toBeUnknown();
    expectTypeOf(() => client.request({ path: 'x', responseType: 'text' })).returns.resolves.toBeString();
    expectTypeOf(() =>
      client.request({ path: 'x', responseType: 'binary' }),
    ).returns.resolves.toEqualTypeOf<Uint8Array>();
    expectTypeOf(() => client.raw({ path: 'x' })).returns.resolves.toEqualTypeOf<RawResponse>();
  });

  it('makes the client and its views Requesters', () => {
    expectTypeOf<SalesforceClient>().toExtend<Requester>();
    expectTypeOf<SalesforceClient['as']>().returns.toEqualTypeOf<Requester>();
    expectTypeOf<Requester['refreshSession']>().returns.resolves.toEqualTypeOf<Session>();
  });

  it('types events', () => {
    expectTypeOf<Parameters<Requester['on']>>().toEqualTypeOf<
      [event: 'refresh', listener: (event: RefreshEvent) => void]
    >();
    expectTypeOf<RefreshEvent['previous']>().toEqualTypeOf<Session | undefined>();
  });

  it('checks options at compile time too', () => {
    expectTypeOf<{ mode: 'multi' }>().toExtend<ClientOptions>();
    expectTypeOf<{ mode: 'many' }>().not.toExtend<ClientOptions>();
    expectTypeOf<{ loginUrl: 'sandbox' }>().toExtend<ClientOptions>();
    expectTypeOf<{ timeout: string }>().not.toExtend<ClientOptions>();
  });
});
