// The middleware each HTTP-benchmark case puts in front of the route, built the
// way each project documents it. Shared by the app processes (http-server.mjs)
// and the in-process per-call measurement in http.mjs.
import { createRequire } from 'node:module'
import { ISS, AUD } from './tokens.mjs'

const require = createRequire(import.meta.url)
const checks = { algorithms: ['HS256'], issuer: ISS, audience: AUD }

export const CASES = {
  express: ['none', 'empty', 'assign', 'express-jwt', 'fast-jwt', 'revocable'],
  koa: ['none', 'empty', 'assign', 'koa-jwt', 'fast-jwt', 'revocable'],
  fastify: ['none', 'empty', '@fastify/jwt', 'revocable'],
}

// fast-jwt ships no Express/Koa middleware: this is the few lines an app writes around createVerifier.
function fastJwtVerify(secret) {
  const verify = require('fast-jwt').createVerifier({ key: secret, algorithms: ['HS256'], allowedIss: ISS, allowedAud: AUD, cache: true })
  return (header) => verify(typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : '')
}

async function guard(secret) {
  const revocable = require('../../index.js')
  return revocable.open({ ...checks, secret, maxTokenLifetime: '1h', store: revocable.stores.sqlite(':memory:') })
}

/** The Express middleware of case `kind`, or null for no middleware at all. */
export async function expressMiddleware(kind, secret) {
  switch (kind) {
    case 'none': return null
    case 'empty': return (req, res, next) => next()
    // What every middleware pays on top of the empty one: it reads the header and hands claims to the route.
    case 'assign': return (req, res, next) => {
      req.auth = { sub: req.headers.authorization && 'user-42' }
      next()
    }
    case 'express-jwt': return require('express-jwt').expressjwt({ secret, ...checks })
    case 'fast-jwt': {
      const verify = fastJwtVerify(secret)
      return (req, res, next) => {
        try { req.auth = verify(req.headers.authorization) } catch { return res.status(401).end() }
        next()
      }
    }
    case 'revocable': return (await guard(secret)).express()
  }
  throw new Error(`unknown case ${kind}`)
}

/** The Koa middleware of case `kind`, or null for no middleware at all. */
export async function koaMiddleware(kind, secret) {
  switch (kind) {
    case 'none': return null
    case 'empty': return (ctx, next) => next()
    case 'assign': return (ctx, next) => {
      ctx.state.user = { sub: ctx.headers.authorization && 'user-42' }
      return next()
    }
    case 'koa-jwt': return require('koa-jwt')({ secret, ...checks })
    case 'fast-jwt': {
      const verify = fastJwtVerify(secret)
      return (ctx, next) => {
        try { ctx.state.user = verify(ctx.get('authorization')) } catch { ctx.throw(401) }
        return next()
      }
    }
    case 'revocable': return (await guard(secret)).koa()
  }
  throw new Error(`unknown case ${kind}`)
}

/**
 * The Fastify app of case `kind`: an onRequest hook in front of the route
 * (`empty` does nothing; the JWT cases call request.jwtVerify(), the hook
 * @fastify/jwt's README shows). revocable/fastify has the same surface.
 */
export async function fastifyApp(kind, secret) {
  const app = require('fastify')()
  if (kind === 'empty') app.addHook('onRequest', (request, reply, done) => done())
  if (kind === '@fastify/jwt') {
    await app.register(require('@fastify/jwt'), { secret, verify: { algorithms: ['HS256'], allowedIss: ISS, allowedAud: AUD } })
  } else if (kind === 'revocable') {
    await app.register(require('../../lib/fastify'), { guard: await guard(secret) })
  } else if (kind !== 'none' && kind !== 'empty') {
    throw new Error(`unknown case ${kind}`)
  }
  if (kind === '@fastify/jwt' || kind === 'revocable') app.addHook('onRequest', async (request) => { await request.jwtVerify() })
  app.get('/', async () => 'ok')
  await app.ready()
  return app
}
