/**
 * A plain Bayeux long-polling client for the streaming tests: raw JSON POSTs to `/cometd/NN.N`, the
 * `BAYEUX_BROWSER` cookie kept by hand. It speaks the wire directly, so the tests judge the
 * emulator's messages rather than a CometD library's view of them.
 */

export type Message = Record<string, unknown> & { channel?: string; successful?: boolean; error?: string };

export interface BayeuxResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly messages: Message[];
  readonly text: string;
}

export interface BayeuxClientOptions {
  /** Default `62.0`. */
  readonly version?: string;
  /** Default `Bearer`. */
  readonly scheme?: 'Bearer' | 'OAuth';
  /** A path instead of `/cometd/<version>`. */
  readonly path?: string;
}

export class BayeuxClient {
  readonly baseUrl: string;
  token: string | undefined;
  readonly path: string;
  readonly scheme: string;
  /** The `BAYEUX_BROWSER=...` pair the handshake set; sent on every later request. */
  cookie: string | undefined;
  clientId: string | undefined;
  #nextId = 1;
  /** Data messages received, in order. */
  readonly received: Message[] = [];

  constructor(baseUrl: string, token: string | undefined, options: BayeuxClientOptions = {}) {
    this.baseUrl = baseUrl;
    this.token = token;
    this.path = options.path ?? `/cometd/${options.version ?? '62.0'}`;
    this.scheme = options.scheme ?? 'Bearer';
  }

  nextId(): string {
    return String(this.#nextId++);
  }

  async post(
    body: unknown,
    init: { signal?: AbortSignal; cookie?: string | null } = {},
  ): Promise<BayeuxResponse> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.token !== undefined) headers.authorization = `${this.scheme} ${this.token}`;
    const cookie = init.cookie === undefined ? this.cookie : (init.cookie ?? undefined);
    if (cookie !== undefined) headers.cookie = cookie;
    const response = await fetch(`${this.baseUrl}${this.path}`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      ...(init.signal ? { signal: init.signal } : {}),
    });
    const setCookie = response.headers.get('set-cookie');
    const pair = setCookie ? /BAYEUX_BROWSER=[^;]+/.exec(setCookie)?.[0] : undefined;
    if (pair) this.cookie = pair;
    const text = await response.text();
    let messages: Message[] = [];
    if (text !== '' && /json/.test(response.headers.get('content-type') ?? '')) messages = JSON.parse(text);
    return { status: response.status, headers: response.headers, messages, text };
  }

  async handshake(ext?: Record<string, unknown>): Promise<Message> {
    const response = await this.post([
      {
        channel: '/meta/handshake',
        version: '1.0',
        minimumVersion: '1.0',
        supportedConnectionTypes: ['long-polling'],
        id: this.nextId(),
        ...(ext ? { ext } : {}),
      },
    ]);
    const reply = response.messages[0] as Message;
    if (reply.successful === true) this.clientId = reply.clientId as string;
    return reply;
  }

  /** One `/meta/connect`; data messages in the response are recorded in `received`. */
  async connect(options: { timeout?: number; signal?: AbortSignal } = {}): Promise<Message[]> {
    const response = await this.post(
      [
        {
          channel: '/meta/connect',
          clientId: this.clientId,
          connectionType: 'long-polling',
          id: this.nextId(),
          ...(options.timeout !== undefined ? { advice: { timeout: options.timeout } } : {}),
        },
      ],
      options.signal ? { signal: options.signal } : {},
    );
    for (const message of response.messages) {
      if (!message.channel?.startsWith('/meta/')) this.received.push(message);
    }
    return response.messages;
  }

  async subscribe(channel: string, replay?: number | string): Promise<Message> {
    const response = await this.post([
      {
        channel: '/meta/subscribe',
        clientId: this.clientId,
        subscription: channel,
        id: this.nextId(),
        ...(replay !== undefined ? { ext: { replay: { [channel]: replay } } } : {}),
      },
    ]);
    return response.messages[0] as Message;
  }

  async unsubscribe(channel: string): Promise<Message> {
    const response = await this.post([
      { channel: '/meta/unsubscribe', clientId: this.clientId, subscription: channel, id: this.nextId() },
    ]);
    return response.messages[0] as Message;
  }

  async disconnect(): Promise<Message> {
    const response = await this.post([
      { channel: '/meta/disconnect', clientId: this.clientId, id: this.nextId() },
    ]);
    return response.messages[0] as Message;
  }

  /** Handshake, the first (immediate) connect, then subscriptions: a ready client. */
  async start(channels: readonly string[] = [], replay?: number): Promise<this> {
    const handshake = await this.handshake();
    if (handshake.successful !== true) throw new Error(`handshake failed: ${JSON.stringify(handshake)}`);
    await this.connect();
    for (const channel of channels) {
      const reply = await this.subscribe(channel, replay);
      if (reply.successful !== true) throw new Error(`subscribe failed: ${JSON.stringify(reply)}`);
    }
    return this;
  }

  /** Long-polls until `count` data messages have arrived in total (or `maxPolls` connects). */
  async collect(count: number, maxPolls = 200): Promise<Message[]> {
    for (let polls = 0; this.received.length < count && polls < maxPolls; polls++) {
      const replies = await this.connect();
      const reply = replies[replies.length - 1];
      if (reply?.successful !== true) throw new Error(`connect failed: ${JSON.stringify(reply)}`);
    }
    return this.received.slice(0, count);
  }
}
