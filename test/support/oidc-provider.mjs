// A real OpenID provider (oidc-provider 9, ESM-only) for the sign-in tests, on the loopback.
// Run as a child process: node test/support/oidc-provider.mjs
// Environment: OIDC_PORT (0: any), OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI.
// Prints `listening <issuer>` once ready. The interaction signs in the account named by the
// `account` query parameter of the interaction URL (the test appends it) and consents at once:
// the test drives the code flow with plain HTTP, no browser.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

/** The people of the fake company, with the groups the API maps to roles. */
const ACCOUNTS = {
  alice: {
    email: 'alice@example.com',
    email_verified: true,
    name: 'Alice Admin',
    groups: ['lb-admins', 'lb-triagers'],
  },
  bob: {
    email: 'bob@example.com',
    email_verified: true,
    name: 'Bob Triager',
    groups: ['staff', 'lb-triagers'],
  },
  carol: { email: 'carol@example.com', email_verified: true, name: 'Carol', groups: ['staff'] },
  // Signs in only at the second provider of the tests (bob's address is linked to the first one).
  frank: { email: 'frank@example.com', email_verified: true, name: 'Frank', groups: ['lb-triagers'] },
  // Same address as an account the test creates beforehand, verified: linked to it.
  dora: { email: 'dora@example.com', email_verified: true, name: 'Dora Linked', groups: [] },
  // Unverified address of an existing account: must not take it over.
  mallory: { email: 'dora@example.com', email_verified: false, name: 'Mallory', groups: ['lb-admins'] },
};

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' };

const server = createServer();
await new Promise((resolve) => server.listen(Number(process.env.OIDC_PORT ?? 0), '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID,
      client_secret: process.env.OIDC_CLIENT_SECRET,
      redirect_uris: [process.env.OIDC_REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'groups'],
  },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(_ctx, sub) {
    const account = ACCOUNTS[sub];
    if (!account) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...account }) };
  },
});

// OIDC_ROGUE_JWKS=1: the provider signs with its key but publishes another one under the same kid,
// as a token forged with a key outside the provider's set looks to the client.
const { publicKey: rogueKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rogueJwks = {
  keys: [{ ...rogueKey.export({ format: 'jwk' }), kid: 'test', use: 'sig', alg: 'RS256' }],
};

server.on('request', async (req, res) => {
  const url = new URL(req.url, issuer);
  if (process.env.OIDC_ROGUE_JWKS === '1' && url.pathname === '/jwks') {
    res.setHeader('content-type', 'application/jwk-set+json');
    return res.end(JSON.stringify(rogueJwks));
  }
  if (!url.pathname.startsWith('/interaction/')) return provider.callback()(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      const account = url.searchParams.get('account');
      if (!account || !ACCOUNTS[account]) {
        res.statusCode = 400;
        return res.end('unknown account: add ?account=<name>');
      }
      return provider.interactionFinished(req, res, { login: { accountId: account } });
    }
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } });
  } catch (error) {
    res.statusCode = 500;
    res.end(String(error));
  }
});

process.stdout.write(`listening ${issuer}\n`);
