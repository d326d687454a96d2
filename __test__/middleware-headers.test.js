'use strict'

// The adapters read the request's headers once (lib/middleware/core.js readToken):
// what an unless rule does to them before the token is read still counts, and a
// request is a CORS preflight only with both the method and the headers of one.
const request = require('supertest')
const express = require('express')
const Koa = require('koa')
const { expressMiddleware, koaMiddleware } = require('../lib/middleware')
const { verifier, mint } = require('./helpers-middleware')

// An unless rule that never skips, but moves a token from X-Token into Authorization (replacing the headers object).
function movingToken(target) {
  if (target.headers['x-token'] !== undefined) target.headers = { ...target.headers, authorization: `Bearer ${target.headers['x-token']}` }
  return false
}

function expressApp(options) {
  const a = express()
  a.use(expressMiddleware(verifier, options))
  a.all(/.*/, (req, res) => res.json({ sub: req.auth?.sub ?? null }))
  return a
}

function koaApp(options) {
  const a = new Koa()
  a.silent = true
  a.use(koaMiddleware(verifier, options))
  a.use((ctx) => { ctx.body = { sub: ctx.state.user?.sub ?? null } })
  return a.callback()
}

describe.each([
  ['Express', expressApp, (req) => movingToken(req)],
  ['Koa', koaApp, (ctx) => movingToken(ctx.req)], // ctx.headers reads ctx.req.headers
])('%s', (_, app, rule) => {
  test('the token is read from the headers an unless rule left', async () => {
    const res = await request(app({ unless: rule })).get('/api').set('X-Token', mint({ sub: 'moved' }))
    expect(res.status).toBe(200)
    expect(res.body.sub).toBe('moved')
  })

  test('without an unless rule, the Authorization header is read as sent', async () => {
    const res = await request(app()).get('/api').set('Authorization', `Bearer ${mint({ sub: 'u1' })}`)
    expect(res.body.sub).toBe('u1')
  })

  test('preflight headers on a GET do not skip authentication', async () => {
    const res = await request(app()).get('/api').set('Access-Control-Request-Method', 'GET').set('Access-Control-Request-Headers', 'authorization')
    expect(res.status).toBe(401)
  })

  test('an OPTIONS request announcing Authorization is let through without a token', async () => {
    const res = await request(app()).options('/api').set('Access-Control-Request-Method', 'GET').set('Access-Control-Request-Headers', 'authorization')
    expect(res.status).toBe(200)
    expect(res.body.sub).toBe(null)
  })
})
