/**
 * A multi-user web app: each visitor logs in with Salesforce (OAuth web-server flow with PKCE, through
 * `conn.expressOAuth`), and every page calls the API as that visitor. One connection, one connection
 * pool, many users: `conn.as(session)` per request.
 *
 *   pnpm --filter forcekit-examples web-app      # then open http://localhost:3000
 *
 * Against your org, create a connected app with the callback URL http://localhost:3000/oauth/callback
 * and set SF_LOGIN_URL, SF_CLIENT_ID and SF_CLIENT_SECRET (and SF_REDIRECT_URI for another callback).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Emulator, startEmulator } from '@forcekit/emulator';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import { type Connection, createConnection, type Session as SalesforceSession } from 'forcekit';
import { isMain } from './org.js';
import type { Schema } from './schema.js';

declare module 'express-session' {
  interface SessionData {
    /** The visitor's Salesforce session, stored by `expressOAuth`'s callback. */
    salesforce?: SalesforceSession;
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The express app: login, callback, and pages that run as the logged-in visitor. */
export function createWebApp(conn: Connection<Schema>, sessionSecret: string): express.Express {
  const app = express();
  // In production use a persistent session store: the session holds the visitor's tokens.
  app.use(session({ secret: sessionSecret, resave: false, saveUninitialized: false }));

  const oauth = conn.expressOAuth<Request, Response>({
    onSuccess: '/',
    onError: '/?login=failed',
    authorize: (req) => (typeof req.query.user === 'string' ? { loginHint: req.query.user } : {}),
  });
  app.get('/login', oauth.authorize);
  app.get('/oauth/callback', oauth.callback);

  /** The visitor's view of the connection: every call runs as them. */
  const asVisitor = (req: Request): Connection<Schema> | undefined => {
    const stored = oauth.session(req);
    return stored === undefined ? undefined : conn.as(stored);
  };
  /** A session refreshed during the request replaces the stored one (before the response saves it). */
  const keepRefreshed = (req: Request, view: Connection<Schema>): void => {
    if (view.session !== undefined && view.session !== oauth.session(req))
      req.session.salesforce = view.session;
  };

  app.get('/', async (req, res, next) => {
    try {
      const view = asVisitor(req);
      if (view === undefined) {
        res.type('html').send('<p>Not logged in. <a href="/login">Log in with Salesforce</a></p>');
        return;
      }
      const me = await view.identity();
      keepRefreshed(req, view);
      res
        .type('html')
        .send(`<p>Hello ${escapeHtml(me.display_name ?? me.username)}. <a href="/accounts">Accounts</a></p>`);
    } catch (error) {
      next(error);
    }
  });

  app.get('/accounts', async (req, res, next) => {
    try {
      const view = asVisitor(req);
      if (view === undefined) {
        res.status(401).json({ error: 'log in first: /login' });
        return;
      }
      const me = await view.identity();
      const { records: mine } = await view
        .sobject('Account')
        .find({ OwnerId: me.user_id }, ['Id', 'Name'])
        .sort('Name')
        .execute();
      keepRefreshed(req, view);
      res.json({ user: me.username, accounts: mine.map((a) => a.Name) });
    } catch (error) {
      next(error);
    }
  });

  app.get('/logout', async (req, res, next) => {
    try {
      const stored = oauth.session(req);
      if (stored !== undefined) await conn.logout(stored);
      req.session.destroy(() => res.redirect('/'));
    } catch (error) {
      next(error);
    }
  });

  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ error: error.message });
  });
  return app;
}

export interface WebApp {
  readonly url: string;
  readonly emulator: Emulator | undefined;
  readonly conn: Connection<Schema>;
  close(): Promise<void>;
}

/**
 * Starts the app on `port`: against your org when SF_CLIENT_ID is set, else against a fresh emulator
 * with a connected app whose callback is this app's.
 */
export async function startWebApp(
  options: { readonly port?: number; readonly env?: Readonly<Record<string, string | undefined>> } = {},
): Promise<WebApp> {
  const env = options.env ?? process.env;
  const app = express();
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(options.port ?? 3000, 'localhost', () => resolve(s));
  });
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  let emulator: Emulator | undefined;
  let conn: Connection<Schema>;
  if (env.SF_CLIENT_ID) {
    conn = createConnection<Schema>({
      mode: 'multi',
      loginUrl: env.SF_LOGIN_URL ?? 'production',
      clientId: env.SF_CLIENT_ID,
      clientSecret: env.SF_CLIENT_SECRET,
      redirectUri: env.SF_REDIRECT_URI ?? `${url}/oauth/callback`,
    });
  } else {
    emulator = await startEmulator();
    const connectedApp = emulator.org.connectedApps.create({
      name: 'forcekit web-app example',
      redirectUris: [`${url}/oauth/callback`],
    });
    const ada = emulator.org.createUser({
      username: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    emulator.org.insert('Account', [
      { Name: 'Analytical Engines Ltd', OwnerId: ada.userId },
      { Name: 'Admin Corp', OwnerId: emulator.org.admin.id },
    ]);
    conn = createConnection<Schema>({
      mode: 'multi',
      loginUrl: emulator.loginUrl,
      clientId: connectedApp.clientId,
      clientSecret: connectedApp.clientSecret,
      redirectUri: `${url}/oauth/callback`,
    });
  }
  app.use(createWebApp(conn, env.SESSION_SECRET ?? 'forcekit example: set SESSION_SECRET'));
  return {
    url,
    emulator,
    conn,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await conn.close();
      await emulator?.stop();
    },
  };
}

if (isMain(import.meta.url)) {
  const web = await startWebApp({ port: Number(process.env.PORT ?? 3000) });
  console.log(
    `Open ${web.url} and log in${web.emulator ? ' (the emulator approves at once; ?user=ada@example.com on /login picks another user)' : ''}. Ctrl+C stops.`,
  );
  process.once('SIGINT', () => void web.close());
}
