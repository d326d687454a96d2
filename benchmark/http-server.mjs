// One app for the HTTP benchmark, run in its own process:
// `node benchmark/http-server.mjs <express|koa> <case>`; prints nothing, tells
// its parent the port over IPC. Every case answers GET / with "ok" and reads
// the same Bearer token; only the middleware in front differs.
import { createRequire } from 'node:module'
import { ISS, AUD } from './lib/tokens.mjs'

const require = createRequire(import.meta.url)
const [framework, kind] = process.argv.slice(2)
const secret = process.env.BENCH_SECRET
const checks = { algorithms: ['HS256'], issuer: ISS, audience: AUD }

// fast-jwt ships no Express/Koa middleware: this is the few lines an app writes around createVerifier.
function fastJwtVerify() {
  const verify = require('fast-jwt').createVerifier({ key: secret, algorithms: ['HS256'], allowedIss: ISS, allowedAud: AUD, cache: true })
  return (header) => verify(typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : '')
}

async function guard() {
  const revocable = require('../index.js')
  return revocable.open({ ...checks, secret, maxTokenLifetime: '1h', store: revocable.stores.sqlite(':memory:') })
}

async function expressApp() {
  const app = require('express')()
  app.set('etag', false)
  app.set('x-powered-by', false)
  if (kind === 'empty') app.use((req, res, next) => next())
  else if (kind === 'express-jwt') app.use(require('express-jwt').expressjwt({ secret, ...checks }))
  else if (kind === 'fast-jwt') {
    const verify = fastJwtVerify()
    app.use((req, res, next) => {
      try { req.auth = verify(req.headers.authorization) } catch { return res.status(401).end() }
      next()
    })
  } else if (kind === 'revocable') app.use((await guard()).express())
  else if (kind !== 'none') throw new Error(`unknown case ${kind}`)
  app.get('/', (req, res) => res.send('ok'))
  // express-jwt reports failures through next(err); answer them as 401 like the others do.
  app.use((err, req, res, next) => res.status(err.status || 500).end()) // eslint-disable-line no-unused-vars
  return (req, res) => app(req, res)
}

async function koaApp() {
  const Koa = require('koa')
  const app = new Koa()
  if (kind === 'empty') app.use((ctx, next) => next())
  else if (kind === 'koa-jwt') app.use(require('koa-jwt')({ secret, ...checks }))
  else if (kind === 'fast-jwt') {
    const verify = fastJwtVerify()
    app.use((ctx, next) => {
      try { ctx.state.user = verify(ctx.get('authorization')) } catch { ctx.throw(401) }
      return next()
    })
  } else if (kind === 'revocable') app.use((await guard()).koa())
  else if (kind !== 'none') throw new Error(`unknown case ${kind}`)
  app.use((ctx) => { ctx.body = 'ok' })
  return app.callback()
}

const handler = framework === 'koa' ? await koaApp() : await expressApp()
const server = require('node:http').createServer(handler)
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }))
process.on('disconnect', () => process.exit(0))
