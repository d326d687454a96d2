// One app for the HTTP benchmark, run in its own process:
// `node benchmark/http-server.mjs <express|koa|fastify> <case>`; prints nothing, tells
// its parent the port over IPC. Every case answers GET / with "ok" and reads
// the same Bearer token; only the middleware in front differs (lib/apps.mjs).
import { createRequire } from 'node:module'
import { PerformanceObserver, constants } from 'node:perf_hooks'
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
// The requests this process answered, counted here so that a sample's CPU time
// and count are read at the same instant, whatever the client saw in flight.
let served = 0
const server = require('node:http').createServer((req, res) => {
  served++
  handler(req, res)
})
server.keepAliveTimeout = 60_000

// Garbage collections and their pause time, to show what a middleware's allocation costs.
const gc = { minor: 0, major: 0, ms: 0 }
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) gc.minor++
    else gc.major++
    gc.ms += e.duration
  }
}).observe({ entryTypes: ['gc'] })

server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }))
// The parent samples this process's CPU time (process.cpuUsage) and count around each measured window.
process.on('message', (m) => {
  if (m === 'sample') process.send({ sample: { cpu: process.cpuUsage(), served, gc: { ...gc } } })
})
process.on('disconnect', () => process.exit(0))
