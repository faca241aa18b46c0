// A real OpenID Connect provider for the hub's ProConnect tests: `oidc-provider` (OpenID
// certified) configured as ProConnect answers: authorization code flow with PKCE required,
// nonce, `acr` eidas1, the scopes given_name / usual_name / email / siret, the userinfo answer
// a signed JWT (application/jwt), RP-initiated logout (end_session_endpoint).
//
//     node provider.mjs config.json     (prints "ready <issuer>" once it listens)
//
// config.json: {"port", "client_id", "client_secret", "redirect_uris", "post_logout_redirect_uris",
//               "accounts": {"<login>": {"password", "given_name", "usual_name", "email", "siret",
//                                        "acr" (optional: the level vouched for, eidas1 if absent)}}}
//
// The sign-in page is ours (no consent screen, as ProConnect): a login and a password checked
// against `accounts`. POST /test/forge-userinfo makes the userinfo endpoint's next answer a JWT
// signed with a key of its own (same `kid`, the first account's claims): what a hub must refuse.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;
const signing = await jose.generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await jose.exportJWK(signing.privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
const rogue = await jose.generateKeyPair('RS256');
let forge = false;

const provider = new Provider(issuer, {
  clients: [{
    client_id: config.client_id,
    client_secret: config.client_secret,
    redirect_uris: config.redirect_uris,
    post_logout_redirect_uris: config.post_logout_redirect_uris,
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'RS256',
    userinfo_signed_response_alg: 'RS256',
  }],
  jwks: { keys: [jwk] },
  cookies: { keys: ['test-only-cookie-key'] },
  acrValues: ['eidas1'],
  scopes: ['openid', 'given_name', 'usual_name', 'email', 'siret'],
  claims: {
    openid: ['sub'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
    email: ['email'],
    siret: ['siret'],
  },
  features: {
    devInteractions: { enabled: false },
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: { // its own page (the default one loads a web font from the internet)
      enabled: true,
      logoutSource(ctx, form) {
        ctx.body = `<!DOCTYPE html><html lang="fr"><meta charset="utf-8"><title>Test ProConnect</title>
${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Se déconnecter</button></html>`;
      },
    },
  },
  pkce: { required: () => true },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: async (ctx, id) => {
    const account = config.accounts[id];
    if (!account) return undefined;
    const { password, acr, ...claims } = account;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
});

function page(res, status, body) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!DOCTYPE html><html lang="fr"><meta charset="utf-8"><title>Test ProConnect</title>${body}</html>`);
}

async function form(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session } = details;
  if (prompt.name === 'consent') { // ProConnect asks no consent: the requested scopes are granted
    const grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const consent = { grantId: await grant.save() };
    return provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
  }
  if (action === 'login' && req.method === 'POST') {
    const data = await form(req);
    const account = config.accounts[data.get('login')];
    if (account && account.password === data.get('password')) {
      const login = { accountId: data.get('login'), acr: account.acr || 'eidas1', amr: ['pwd'] };
      return provider.interactionFinished(req, res, { login }, { mergeWithLastSubmission: false });
    }
  }
  return page(res, 200, `<form method="post" action="/interaction/${uid}/login">
<label>Adresse e-mail <input name="login" type="text"></label>
<label>Mot de passe <input name="password" type="password"></label>
<button type="submit">Se connecter</button></form>`);
}

async function forgedUserinfo(res) {
  const claims = Object.entries(config.accounts).map(([sub, { password, acr, ...c }]) => ({ sub, ...c }))[0];
  const token = await new jose.SignJWT({ ...claims, iss: issuer, aud: config.client_id })
    .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
    .setIssuedAt()
    .sign(rogue.privateKey);
  res.writeHead(200, { 'content-type': 'application/jwt' });
  res.end(token);
}

const oidc = provider.callback();
const server = createServer(async (req, res) => {
  try {
    const { pathname } = new URL(req.url, issuer);
    const found = pathname.match(/^\/interaction\/([^/]+)(?:\/(login))?$/);
    if (found) return await interaction(req, res, found[1], found[2]);
    if (pathname === '/test/forge-userinfo' && req.method === 'POST') {
      forge = true;
      res.writeHead(204);
      return res.end();
    }
    if (pathname === '/me' && forge) {
      forge = false;
      return await forgedUserinfo(res);
    }
    return oidc(req, res);
  } catch (error) {
    console.error(error);
    return page(res, 500, `<p>${String(error.message).replace(/[<&]/g, '')}</p>`);
  }
});
server.listen(config.port, '127.0.0.1', () => console.log(`ready ${issuer}`));
