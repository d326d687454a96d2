'use strict'

// express-jwt users wire provider keys with jwks-rsa: that keeps working
// through revocable/express-jwt (jwks-rsa itself, against a local JWKS server).
const crypto = require('node:crypto')
const request = require('supertest')
const express = require('express')
const jwksRsa = require('jwks-rsa')
const { expressjwt } = require('../lib/compat/express-jwt')
const { provider } = require('./helpers-jwks')

const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url')
const now = () => Math.floor(Date.now() / 1000)
function token(kid, key = rsa.privateKey, claims = {}) {
  const input = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64({ sub: 'u1', iat: now(), exp: now() + 600, ...claims })}`
  return `${input}.${crypto.sign('sha256', Buffer.from(input), key).toString('base64url')}`
}

let idp, app
beforeAll(async () => {
  idp = await provider()
  idp.json('/.well-known/jwks.json', { keys: [{ ...rsa.publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' }] })
  app = express()
  app.use(expressjwt({
    secret: jwksRsa.expressJwtSecret({ jwksUri: `${idp.url}/.well-known/jwks.json`, cache: true, rateLimit: true, jwksRequestsPerMinute: 5 }),
    algorithms: ['RS256'],
  }))
  app.get('/me', (req, res) => res.json(req.auth))
  app.use((err, req, res, next) => res.status(err.status ?? 500).json({ code: err.code })) // eslint-disable-line no-unused-vars
})
afterAll(() => idp.close())

const get = (t) => request(app).get('/me').set('Authorization', `Bearer ${t}`)

test('a token signed by the JWKS key passes, and the key is fetched once', async () => {
  for (let i = 0; i < 3; i++) {
    const res = await get(token('k1'))
    expect(res.status).toBe(200)
    expect(res.body.sub).toBe('u1')
  }
  expect(idp.hits('/.well-known/jwks.json')).toBe(1)
})

test('a forged signature under a known kid, and an unknown kid, are 401 invalid_token', async () => {
  expect((await get(token('k1', other.privateKey))).body).toEqual({ code: 'invalid_token' })
  const res = await get(token('nope'))
  expect(res.status).toBe(401)
  expect(res.body).toEqual({ code: 'invalid_token' })
})

test('an expired token is 401', async () => {
  expect((await get(token('k1', rsa.privateKey, { iat: now() - 1200, exp: now() - 600 }))).status).toBe(401)
})
