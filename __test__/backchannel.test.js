'use strict'

// OIDC Back-Channel Logout 1.0: a logout token POSTed by the provider revokes
// the session (sid) or the user (sub) everywhere; every malformed one is a 400
// that revokes nothing.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { randomUUID } = require('node:crypto')
const request = require('supertest')
const express = require('express')
const Koa = require('koa')
const { open, sign, stores } = require('..')
const { unique } = require('./helpers-stores')
const { start, secret } = require('./helpers-sync')
const { provider, ecKey, setOf } = require('./helpers-jwks')
const { craft } = require('./helpers')

jest.setTimeout(30_000)

const EVENT = 'http://schemas.openid.net/event/backchannel-logout'
const ISSUER = 'https://idp.example'
const AUDIENCE = 'my-client'
const key = ecKey('idp-1')
const stranger = ecKey('idp-1') // same kid, another key: a forgery
let idp, dir, table, guard, app

const nowS = () => Math.floor(Date.now() / 1000)
const logoutClaims = (extra = {}) => ({ iss: ISSUER, aud: AUDIENCE, iat: nowS(), exp: nowS() + 120, jti: randomUUID(), events: { [EVENT]: {} }, ...extra })
const logoutToken = (extra, { signer = key, header = { typ: 'logout+jwt' } } = {}) =>
  craft({ alg: 'ES256', kid: 'idp-1', ...header }, logoutClaims(extra), signer.privateKey)
// An access token a second old, as the app's login made it (HS256 here; the logout token is the provider's).
const accessToken = (claims) => sign(claims, secret, { expiresIn: 600, clock: () => Date.now() - 1000 })
const post = (token) => request(app).post('/oidc/backchannel-logout').type('form').send({ logout_token: token })
const verdict = (token) => { try { guard.verify(token); return 'accepted' } catch (err) { return `${err.code}:${err.reason}` } }

beforeAll(async () => {
  idp = await provider()
  idp.json('/jwks', setOf(key))
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-bcl-'))
  table = unique('bcl')
})
afterAll(async () => {
  await idp.close()
  fs.rmSync(dir, { recursive: true, force: true })
})
beforeEach(async () => {
  guard = await open({ algorithms: ['HS256'], secret, maxTokenLifetime: '1h', store: stores.sqlite(path.join(dir, 'r.db'), { table }) })
  app = express()
  app.post('/oidc/backchannel-logout', guard.backchannelLogout({ issuer: ISSUER, audience: AUDIENCE, jwks: { uri: `${idp.url}/jwks`, allowHttp: true }, algorithms: ['ES256'] }))
})
afterEach(() => guard.close())

test('a logout token with sid revokes that session, on a second instance too, right after the POST', async () => {
  const other = await start({ kind: 'sqlite', file: path.join(dir, 'r.db'), name: table })
  try {
    const sid = `s-${randomUUID()}`
    const mine = accessToken({ sub: 'alice', sid })
    const otherSession = accessToken({ sub: 'alice', sid: `s-${randomUUID()}` })
    expect(await other.call('verify', { token: mine })).toBe('accepted')
    const refused = other.call('whenRejected', { token: mine, timeoutMs: 10_000 })
    const res = await post(logoutToken({ sub: 'alice', sid }))
    expect(res.status).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(verdict(mine)).toBe('ERR_JWT_REVOKED:session')
    expect((await refused).at).not.toBeNull()
    expect(await other.call('verify', { token: mine })).toBe('ERR_JWT_REVOKED:session')
    expect(await other.call('verify', { token: otherSession })).toBe('accepted')
    // A session begun after the logout token was issued is not touched.
    const later = sign({ sub: 'alice', sid }, secret, { expiresIn: 600, clock: () => Date.now() + 1000 })
    expect(verdict(later)).toBe('accepted')
  } finally {
    await other.stop()
  }
})

test('a logout token with sub and no sid revokes every session of the user', async () => {
  const a = accessToken({ sub: 'bob', sid: 'b1' })
  const b = accessToken({ sub: 'bob', sid: 'b2' })
  expect((await post(logoutToken({ sub: 'bob' }))).status).toBe(200)
  expect(verdict(a)).toBe('ERR_JWT_REVOKED:user')
  expect(verdict(b)).toBe('ERR_JWT_REVOKED:user')
  expect(verdict(accessToken({ sub: 'carol' }))).toBe('accepted')
})

describe('each malformed logout token gets 400 and revokes nothing', () => {
  const cases = [
    ['missing events', () => logoutToken({ sub: 'dave', events: undefined })],
    ['events without the back-channel member', () => logoutToken({ sub: 'dave', events: { 'http://other': {} } })],
    ['events member not an object', () => logoutToken({ sub: 'dave', events: { [EVENT]: true } })],
    ['a nonce', () => logoutToken({ sub: 'dave', nonce: 'n' })],
    ['a wrong aud', () => logoutToken({ sub: 'dave', aud: 'someone-else' })],
    ['a wrong iss', () => logoutToken({ sub: 'dave', iss: 'https://evil.example' })],
    ['neither sub nor sid', () => logoutToken({})],
    ['an empty sid', () => logoutToken({ sid: '' })],
    ['no jti', () => logoutToken({ sub: 'dave', jti: undefined })],
    ['no iat', () => logoutToken({ sub: 'dave', iat: undefined })],
    ['expired', () => logoutToken({ sub: 'dave', iat: nowS() - 600, exp: nowS() - 300 })],
    ['typ other than logout+jwt', () => logoutToken({ sub: 'dave' }, { header: { typ: 'JWT' } })],
    ['a forged signature', () => logoutToken({ sub: 'dave' }, { signer: stranger })],
    ['alg none', () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(logoutClaims({ sub: 'dave' }))).toString('base64url')}.`],
    ['not a JWT', () => 'garbage'],
    ['missing', () => ''],
  ]
  test.each(cases)('%s', async (_, make) => {
    const token = accessToken({ sub: 'dave', sid: 'd1' })
    const before = guard.stats()
    const res = await post(make())
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ error: 'invalid_request', error_description: expect.any(String) })
    expect(guard.stats()).toEqual(before)
    expect(verdict(token)).toBe('accepted')
  })

  test('a replayed jti', async () => {
    const logout = logoutToken({ sub: 'erin' })
    expect((await post(logout)).status).toBe(200)
    const before = guard.stats()
    const res = await post(logout)
    expect(res.status).toBe(400)
    expect(res.body.error_description).toMatch(/already used/)
    expect(guard.stats()).toEqual(before)
  })

  test('a body that is not a form', async () => {
    const res = await request(app).post('/oidc/backchannel-logout').set('content-type', 'application/json').send(JSON.stringify({ logout_token: logoutToken({ sub: 'dave' }) }))
    expect(res.status).toBe(400)
  })
})

test('the Koa endpoint answers the same way', async () => {
  const koa = new Koa()
  koa.use(guard.backchannelLogout({ issuer: ISSUER, audience: AUDIENCE, jwks: { uri: `${idp.url}/jwks`, allowHttp: true }, algorithms: ['ES256'] }).koa)
  const send = (token) => request(koa.callback()).post('/').type('form').send({ logout_token: token })
  expect((await send(logoutToken({ sub: 'frank', nonce: 'x' }))).status).toBe(400)
  const t = accessToken({ sub: 'frank', sid: 'f1' })
  expect((await send(logoutToken({ sid: 'f1' }))).status).toBe(200)
  expect(verdict(t)).toBe('ERR_JWT_REVOKED:session')
})

test('options are checked when the endpoint is made', () => {
  expect(() => guard.backchannelLogout({ audience: AUDIENCE })).toThrow(expect.objectContaining({ code: 'ERR_JWT_INVALID_OPTION' }))
  expect(() => guard.backchannelLogout({ issuer: ISSUER })).toThrow(expect.objectContaining({ code: 'ERR_JWT_INVALID_OPTION' }))
  expect(() => guard.backchannelLogout({ issuer: ISSUER, audience: AUDIENCE, sessionClaim: 'device' })).toThrow(expect.objectContaining({ code: 'ERR_JWT_INVALID_OPTION' }))
})
