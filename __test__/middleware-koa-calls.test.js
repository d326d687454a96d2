'use strict'

// The Koa middleware called directly: its fast path is synchronous (an async
// middleware costs Koa extra promise turns per request), yet every path still
// hands Koa a promise, and an async getToken's failures go where a sync one's do.
const { koaMiddleware } = require('../lib/middleware')
const { verifier, mint, forged } = require('./helpers-middleware')

function ctxOf(headers = {}) {
  return {
    method: 'GET', path: '/api', headers, state: {}, status: 404, body: undefined, sent: {},
    set(name, value) { this.sent[name] = value },
    throw(status, err) { throw Object.assign(err, { status }) },
  }
}
const bearer = (token) => ({ authorization: `Bearer ${token}` })

test('a valid token: claims set and next() called before the middleware returns, its own promise handed back', () => {
  const ctx = ctxOf(bearer(mint()))
  const downstream = Promise.resolve('downstream')
  const next = jest.fn(() => downstream)
  expect(koaMiddleware(verifier)(ctx, next)).toBe(downstream)
  expect(next).toHaveBeenCalledTimes(1)
  expect(ctx.state.user.sub).toBe('u1')
})

test('a refused token answers 401 synchronously and still returns a promise', async () => {
  const ctx = ctxOf(bearer(forged()))
  const next = jest.fn()
  const returned = koaMiddleware(verifier)(ctx, next)
  expect(ctx.status).toBe(401)
  expect(ctx.body.code).toBe('ERR_JWT_SIGNATURE')
  await expect(returned).resolves.toBeUndefined()
  expect(next).not.toHaveBeenCalled()
})

test("errors: 'throw' and a getToken's own error reject the returned promise instead of throwing", async () => {
  const next = jest.fn()
  const thrown = koaMiddleware(verifier, { errors: 'throw' })(ctxOf(), next)
  await expect(thrown).rejects.toMatchObject({ status: 401, code: 'ERR_JWT_MISSING' })
  const failing = koaMiddleware(verifier, { getToken: () => { throw new Error('config store down') } })(ctxOf(), next)
  await expect(failing).rejects.toThrow('config store down')
  expect(next).not.toHaveBeenCalled()
})

test('an async getToken: a token passes, a JWT-coded rejection is a 401, any other rejection goes to the app', async () => {
  const ctx = ctxOf()
  const next = jest.fn(() => 'after')
  await expect(koaMiddleware(verifier, { getToken: async () => mint() })(ctx, next)).resolves.toBe('after')
  expect(ctx.state.user.sub).toBe('u1')

  const coded = ctxOf()
  const malformed = Object.assign(new Error('bad'), { code: 'ERR_JWT_MALFORMED' })
  await koaMiddleware(verifier, { getToken: async () => { throw malformed } })(coded, next)
  expect(coded.status).toBe(401)
  expect(coded.body.code).toBe('ERR_JWT_MALFORMED')

  const down = koaMiddleware(verifier, { getToken: async () => { throw new Error('down') } })(ctxOf(), next)
  await expect(down).rejects.toThrow('down')
  expect(next).toHaveBeenCalledTimes(1)
})

test('a cached token: every request gets claims of its own, so one request changing them is not seen by the next', () => {
  const token = mint({ sub: 'u1', roles: ['reader'] })
  const mw = koaMiddleware(verifier)
  const next = () => Promise.resolve()
  const seen = []
  for (let i = 0; i < 4; i++) {
    const ctx = ctxOf(bearer(token))
    mw(ctx, next)
    expect(ctx.state.user).toMatchObject({ sub: 'u1', roles: ['reader'] })
    seen.push(ctx.state.user)
    ctx.state.user.sub = `mallory-${i}`
    ctx.state.user.admin = true
    expect(() => ctx.state.user.roles.push('admin')).toThrow(TypeError) // nested values are shared, so frozen
  }
  expect(verifier.cacheStats().hits).toBeGreaterThan(0) // the later requests were answered from the cache
  expect(new Set(seen).size).toBe(4)
})
