'use strict'

// Remote key sets (lib/jwks) against a local http provider: first fetch,
// rotation, cooldown under a flood, timeout, provider down, hostile answers.
const { Verifier } = require('..')
const { NOW } = require('./helpers')
const { provider, ecKey, setOf } = require('./helpers-jwks')

let idp
let time
const clock = () => time
const k1 = ecKey('k1')
const k2 = ecKey('k2')
const thrown = (fn) => { try { fn() } catch (err) { return err } throw new Error('did not throw') }

beforeEach(async () => {
  time = NOW
  idp = await provider()
  idp.json('/jwks', setOf(k1))
})
afterEach(() => idp.close())

const verifier = (jwks = {}, extra = {}) => new Verifier({ algorithms: ['ES256'], jwks: { uri: `${idp.url}/jwks`, allowHttp: true, ...jwks }, clock, ...extra })

test('ready() fetches the set once; before it, verify fails closed', async () => {
  const v = verifier()
  expect(thrown(() => v.verify(k1.sign())).code).toBe('ERR_JWT_KEY')
  await v.ready()
  expect(v.verify(k1.sign()).sub).toBe('u1')
  expect(v.verify(k1.sign()).sub).toBe('u1')
  expect(idp.hits('/jwks')).toBe(1)
  expect(v.health().jwks[`${idp.url}/jwks`]).toMatchObject({ status: 'ok', lastError: null })
  v.close()
})

test('a rotated-in key is picked up on its unknown kid: sync verify flags the refetch, verifyAsync waits for it', async () => {
  const v = verifier()
  await v.ready()
  idp.json('/jwks', setOf(k1, k2))
  time += 30_000 // the cooldown since the first fetch
  const token = k2.sign()
  const err = thrown(() => v.verify(token))
  expect(err).toMatchObject({ code: 'ERR_JWT_KEY', claim: 'kid', refetching: true })
  expect((await v.verifyAsync(token)).sub).toBe('u1')
  expect(v.verify(token).sub).toBe('u1')
  expect(idp.hits('/jwks')).toBe(2)
  v.close()
})

test('a flood of unknown kids costs one request per cooldown', async () => {
  const v = verifier({ cooldown: '30s' })
  await v.ready()
  time += 30_000
  const forged = Array.from({ length: 200 }, (_, i) => ecKey(`x${i}`).sign())
  // Concurrent: one fetch in flight serves them all (single-flight).
  const results = await Promise.allSettled(forged.map((t) => v.verifyAsync(t)))
  expect(results.every((r) => r.status === 'rejected' && r.reason.code === 'ERR_JWT_KEY')).toBe(true)
  expect(idp.hits('/jwks')).toBe(2)
  // Within the cooldown: no request, and the error says none was started.
  time += 29_000
  for (const t of forged.slice(0, 50)) expect(thrown(() => v.verify(t)).refetching).toBe(false)
  await Promise.allSettled(forged.slice(0, 50).map((t) => v.verifyAsync(t)))
  expect(idp.hits('/jwks')).toBe(2)
  time += 1_000
  expect(thrown(() => v.verify(forged[0])).refetching).toBe(true)
  await idp.next('/jwks').catch(() => {})
  expect(idp.hits('/jwks')).toBe(3)
  v.close()
})

test('a provider that does not answer within `timeout` fails ready() with ERR_JWKS_TIMEOUT', async () => {
  idp.route('/jwks', () => {}) // never answers
  const v = verifier({ timeout: '150ms' })
  await expect(v.ready()).rejects.toMatchObject({ code: 'ERR_JWKS_TIMEOUT' })
  expect(v.health().jwks[`${idp.url}/jwks`].status).toBe('down')
  v.close()
})

test('provider down: the last good set stays in use and health() says so', async () => {
  const v = verifier()
  await v.ready()
  idp.route('/jwks', (req, res) => res.writeHead(503).end())
  time += 60_000
  const err = await v.verifyAsync(k2.sign()).catch((e) => e)
  expect(err.code).toBe('ERR_JWT_KEY')
  expect(v.verify(k1.sign()).sub).toBe('u1')
  const h = v.health().jwks[`${idp.url}/jwks`]
  expect(h.status).toBe('stale')
  expect(h.lastError).toMatch(/503/)
  // The error is not cached: once the provider is back, the next refetch works.
  idp.json('/jwks', setOf(k1, k2))
  time += 60_000
  expect((await v.verifyAsync(k2.sign())).sub).toBe('u1')
  expect(v.health().jwks[`${idp.url}/jwks`]).toMatchObject({ status: 'ok', lastError: null })
  v.close()
})

test('a refetched set that is unusable is refused and the last good set kept', async () => {
  const v = verifier()
  await v.ready()
  idp.json('/jwks', { keys: [{ kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA', kid: 'k2' }] })
  time += 60_000
  await expect(v.verifyAsync(k2.sign())).rejects.toMatchObject({ code: 'ERR_JWT_KEY' })
  expect(v.verify(k1.sign()).sub).toBe('u1')
  expect(v.health().jwks[`${idp.url}/jwks`].lastError).toMatch(/EC/)
  v.close()
})

test.each([
  ['not JSON', (req, res) => res.writeHead(200).end('<html>'), 'ERR_JWKS_INVALID'],
  ['not a JWK Set', (req, res) => res.writeHead(200).end('{"keys":"k1"}'), 'ERR_JWKS_INVALID'],
  ['an empty set', (req, res) => res.writeHead(200).end('{"keys":[]}'), 'ERR_JWKS_INVALID'],
  ['huge, announced', (req, res) => res.writeHead(200, { 'content-length': 600_000 }).end(' '.repeat(600_000)), 'ERR_JWKS_TOO_LARGE'],
  ['huge, chunked and endless', (req, res) => { res.writeHead(200); const t = setInterval(() => res.write(' '.repeat(64 * 1024)), 1); res.on('close', () => clearInterval(t)) }, 'ERR_JWKS_TOO_LARGE'],
  ['a 404', (req, res) => res.writeHead(404).end(), 'ERR_JWKS_FETCH'],
  ['a redirect loop', (req, res) => res.writeHead(302, { location: '/jwks' }).end(), 'ERR_JWKS_FETCH'],
])('an answer that is %s fails ready() with its code', async (_, handler, code) => {
  idp.route('/jwks', handler)
  const v = verifier()
  await expect(v.ready()).rejects.toMatchObject({ code })
  expect(thrown(() => v.verify(k1.sign())).code).toBe('ERR_JWT_KEY')
  v.close()
})

test('keys of kinds the verifier cannot use (encryption, post-quantum, other curves) do not take the set down', async () => {
  idp.json('/jwks', { keys: [
    { kty: 'AKP', alg: 'ML-DSA-44', pub: 'AA', kid: 'pq' },
    { kty: 'OKP', crv: 'X25519', x: 'AA', use: 'enc' },
    { kty: 'RSA', n: 'AA', e: 'AQAB', kid: 'weak' }, // not an allowed family here: never parsed
    k1.jwk,
  ] })
  const v = verifier()
  await v.ready()
  expect(v.verify(k1.sign()).sub).toBe('u1')
  v.close()
})

test('one redirect is followed', async () => {
  idp.route('/old', (req, res) => res.writeHead(301, { location: '/jwks' }).end())
  const v = verifier({ uri: `${idp.url}/old` })
  await v.ready()
  expect(v.verify(k1.sign()).sub).toBe('u1')
  v.close()
})

test('the app\'s headers go with a redirect on the same origin, never to another origin', async () => {
  const other = await provider()
  try {
    const seen = []
    const record = (where, path) => (req, res) => {
      seen.push([where, req.headers.authorization])
      if (path) res.writeHead(302, { location: path }).end()
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(setOf(k1)))
    }
    idp.route('/start', record('idp', '/moved'))
    idp.route('/moved', record('idp', `${other.url}/jwks`))
    other.route('/jwks', record('other'))
    const v = verifier({ uri: `${idp.url}/start`, headers: { authorization: 'Bearer app-secret' } })
    await v.ready()
    expect(v.verify(k1.sign()).sub).toBe('u1')
    expect(seen).toEqual([['idp', 'Bearer app-secret'], ['idp', 'Bearer app-secret'], ['other', undefined]])
    v.close()
  } finally {
    await other.close()
  }
})

test('http: is refused unless allowHttp', () => {
  expect(thrown(() => new Verifier({ algorithms: ['ES256'], jwks: { uri: `${idp.url}/jwks` } })).code).toBe('ERR_JWT_INVALID_OPTION')
  expect(thrown(() => new Verifier({ algorithms: ['ES256'], jwks: { uri: 'ftp://x/jwks', allowHttp: true } })).code).toBe('ERR_JWT_INVALID_OPTION')
  expect(thrown(() => verifier({ cooldown: 'soon' })).code).toBe('ERR_JWT_INVALID_OPTION')
  expect(thrown(() => verifier({}, { key: 'secret' })).code).toBe('ERR_JWT_INVALID_OPTION')
})

test('the set is refreshed in the background cacheMaxAge after the last fetch', async () => {
  const v = verifier({ cacheMaxAge: '1s' })
  await v.ready()
  idp.json('/jwks', setOf(k2))
  await idp.next('/jwks')
  await new Promise((resolve) => setImmediate(resolve))
  await v.verifyAsync(k2.sign()) // joins the fetch if it is still in flight
  expect(thrown(() => v.verify(k1.sign())).code).toBe('ERR_JWT_KEY') // retired key: refused, cache emptied
  v.close()
})

describe('discovery', () => {
  const issuer = () => `${idp.url}/tenant`
  const discovery = (doc) => idp.json('/tenant/.well-known/openid-configuration', { issuer: issuer(), jwks_uri: `${idp.url}/jwks`, ...doc })

  test('issuer alone finds jwks_uri, and only that issuer\'s tokens pass', async () => {
    discovery()
    const v = new Verifier({ algorithms: ['ES256'], jwks: { issuer: issuer(), allowHttp: true }, clock })
    await v.ready()
    expect(v.verify(k1.sign({ iss: issuer() })).sub).toBe('u1')
    expect(thrown(() => v.verify(k1.sign({ iss: 'https://other' }))).code).toBe('ERR_JWT_CLAIM')
    v.close()
  })

  test('a document naming another issuer is refused (ERR_JWKS_ISSUER), and so is a jwks_uri on http: without allowHttp', async () => {
    discovery({ issuer: 'https://evil.example' })
    const v = new Verifier({ algorithms: ['ES256'], jwks: { issuer: issuer(), allowHttp: true }, clock })
    await expect(v.ready()).rejects.toMatchObject({ code: 'ERR_JWKS_ISSUER' })
    expect(idp.hits('/jwks')).toBe(0)
    v.close()
    discovery({ jwks_uri: 'javascript:alert(1)' })
    const w = new Verifier({ algorithms: ['ES256'], jwks: { issuer: issuer(), allowHttp: true }, clock })
    await expect(w.ready()).rejects.toMatchObject({ code: 'ERR_JWKS_ISSUER' })
    w.close()
  })
})
