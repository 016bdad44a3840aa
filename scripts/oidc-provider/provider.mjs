// The demo and test platform's OpenID provider: oidc-provider with one native public
// client (Qingying), PKCE required, the device flow, revocation, rotating refresh tokens,
// RP-initiated logout, and RS256 JWT access tokens for one resource (the DICOMweb server
// that checks them). Doctors sign in on a plain login page, then consent.
//
// Everything comes from the environment, so the tests and `make demo` start it alike:
//   QY_OIDC_PORT       the port on 127.0.0.1 (the issuer is http://127.0.0.1:PORT)
//   QY_OIDC_RESOURCE   the resource indicator (the DICOMweb base URL) and the tokens' audience
//   QY_OIDC_USERS      JSON {"login": {"password": "...", "name": "..."}}
//   QY_OIDC_ACCESS_TTL the access tokens' lifetime in seconds (tests set it short)
//   QY_OIDC_CLIENT_ID  the native client's id (default "qingying")
// It prints one line "ready <issuer>" on stdout once it listens.
import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import Provider, { errors } from 'oidc-provider';

const port = Number(process.env.QY_OIDC_PORT || 0);
const resource = process.env.QY_OIDC_RESOURCE || '';
const users = JSON.parse(process.env.QY_OIDC_USERS || '{}');
const accessTtl = Number(process.env.QY_OIDC_ACCESS_TTL || 600);
const clientId = process.env.QY_OIDC_CLIENT_ID || 'qingying';
const issuer = `http://127.0.0.1:${port}`;

// A new signing key at each start: tokens of an earlier run are not valid in this one.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' };

function passwordMatches(login, password) {
  const user = Object.hasOwn(users, login) ? users[login] : null;
  if (!user || typeof password !== 'string') return false;
  const want = Buffer.from(user.password);
  const got = Buffer.from(password);
  return want.length === got.length && timingSafeEqual(want, got);
}

const provider = new Provider(issuer, {
  responseTypes: ['code'],
  clients: [{
    client_id: clientId,
    client_name: 'Qingying',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    // RFC 8252 7.3: any port on the loopback address is accepted for this URI.
    redirect_uris: ['http://127.0.0.1/callback'],
    post_logout_redirect_uris: ['http://127.0.0.1/signed-out'],
    grant_types: ['authorization_code', 'refresh_token',
      'urn:ietf:params:oauth:grant-type:device_code'],
    response_types: ['code'],
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  pkce: { methods: ['S256'], required: () => true },
  scopes: ['openid', 'profile', 'offline_access', 'dicomweb'],
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
  ttl: {
    AccessToken: accessTtl,
    AuthorizationCode: 60,
    DeviceCode: 600,
    IdToken: 3600,
    Interaction: 600,
    Session: 86400,
    Grant: 14 * 86400,
    RefreshToken: 14 * 86400,
  },
  // A public client's refresh tokens rotate at each use; a used one replayed revokes the grant.
  rotateRefreshToken: () => true,
  issueRefreshToken: async (ctx, client, code) =>
    client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
  async findAccount(ctx, sub) {
    if (!Object.hasOwn(users, sub)) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, name: users[sub].name || sub, preferred_username: sub };
      },
    };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    deviceFlow: { enabled: true },
    revocation: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      async getResourceServerInfo(ctx, indicator) {
        if (indicator !== resource) throw new errors.InvalidTarget();
        return {
          scope: 'dicomweb',
          audience: resource,
          accessTokenTTL: accessTtl,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
});
// The demo and the tests speak plain HTTP on loopback only.
provider.proxy = false;

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res, title, body, status = 200) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  });
  res.end(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:sans-serif;background:#1e1e1e;color:#ddd;margin:40px}
form{max-width:320px}input,button{display:block;width:100%;margin:8px 0;padding:6px}</style>
</head><body><h1>${escape(title)}</h1>${body}</body></html>`);
}

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 16384) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function consentGrant(details) {
  const { prompt, params, session, grantId } = details;
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  const missing = prompt.details;
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes || {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}

// The login and consent pages (what the issue's tests drive with plain HTTP requests).
async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return page(res, 'Sign-in', '<p>Unknown sign-in request.</p>', 400);
  const { prompt } = details;
  if (req.method === 'GET') {
    if (prompt.name === 'login') {
      return page(res, 'Sign in to the platform', `
<form method="post" action="/interaction/${uid}/login">
<input name="login" placeholder="user" autofocus>
<input name="password" type="password" placeholder="password">
<button type="submit">Sign in</button></form>`);
    }
    return page(res, 'Allow Qingying', `
<p>Qingying asks to read images on your behalf (${escape(details.params.scope)}).</p>
<form method="post" action="/interaction/${uid}/confirm"><button type="submit">Allow</button></form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit">Deny</button></form>`);
  }
  if (req.method !== 'POST') return page(res, 'Sign-in', '', 405);
  if (action === 'login') {
    const form = await readForm(req);
    const login = form.get('login') || '';
    if (!passwordMatches(login, form.get('password'))) {
      return page(res, 'Sign in to the platform', `<p class="error">Wrong user or password.</p>
<form method="post" action="/interaction/${uid}/login">
<input name="login" value="${escape(login)}"><input name="password" type="password">
<button type="submit">Sign in</button></form>`, 401);
    }
    return provider.interactionFinished(req, res, { login: { accountId: login } },
      { mergeWithLastSubmission: false });
  }
  if (action === 'confirm') {
    const grantId = await consentGrant(details);
    return provider.interactionFinished(req, res, { consent: { grantId } },
      { mergeWithLastSubmission: true });
  }
  if (action === 'abort') {
    return provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'the user denied the request',
    }, { mergeWithLastSubmission: false });
  }
  return page(res, 'Sign-in', '', 404);
}

const callback = provider.callback();
const server = createServer(async (req, res) => {
  const match = /^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/.exec(
    new URL(req.url, issuer).pathname);
  if (!match) return callback(req, res);
  try {
    await interaction(req, res, match[1], match[2]);
  } catch (err) {
    page(res, 'Sign-in', `<p>${escape(err.message)}</p>`, 400);
  }
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
