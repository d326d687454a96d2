// One app for the HTTP benchmark, run in its own process:
// `node benchmark/http-server.mjs <express|koa|fastify> <case>`; prints nothing, tells
// its parent the port over IPC. Every case answers GET / with "ok" and reads
// the same Bearer token; only the middleware in front differs (lib/apps.mjs).
import { createRequire } from 'node:module'
import { expressMiddleware, koaMiddleware, fastifyApp } from './lib/apps.mjs'

const require = createRequire(import.meta.url)
const [framework, kind] = process.argv.slice(2)
const secret = process.env.BENCH_SECRET

async function expressApp() {
  const app = require('express')()
  app.set('etag', false)
  app.set('x-powered-by', false)
  const mw = await expressMiddleware(kind, secret)
  if (mw) app.use(mw)
  app.get('/', (req, res) => res.send('ok'))
  // express-jwt reports failures through next(err); answer them as 401 like the others do.
  app.use((err, req, res, next) => res.status(err.status || 500).end()) // eslint-disable-line no-unused-vars
  return (req, res) => app(req, res)
}

async function koaApp() {
  const Koa = require('koa')
  const app = new Koa()
  const mw = await koaMiddleware(kind, secret)
  if (mw) app.use(mw)
  app.use((ctx) => { ctx.body = 'ok' })
  return app.callback()
}

async function fastifyHandler() {
  const app = await fastifyApp(kind, secret)
  return (req, res) => app.routing(req, res)
}

const handler = framework === 'koa' ? await koaApp() : framework === 'fastify' ? await fastifyHandler() : await expressApp()
const server = require('node:http').createServer(handler)
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }))
// The parent asks for this process's CPU time around each run: CPU per request is steadier than requests/s on a shared machine.
process.on('message', (m) => { if (m === 'cpu') process.send({ cpu: process.cpuUsage() }) })
process.on('disconnect', () => process.exit(0))
