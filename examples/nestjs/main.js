'use strict'

// `node examples/nestjs/main.js`: the NestJS example on port 3000 (PORT), with
// the revocation table in revocations.db next to the working directory.
const { NestFactory } = require('@nestjs/core')
const revocable = require('../..')
const { appModule } = require('./app')

async function main() {
  const auth = await revocable.open({
    algorithms: ['HS256'],
    secret: process.env.JWT_SECRET || 'a-development-secret-of-at-least-32-bytes',
    maxTokenLifetime: '15m',
    store: revocable.stores.sqlite('revocations.db'),
  })
  const app = await NestFactory.create(appModule(auth))
  app.enableShutdownHooks()
  await app.listen(Number(process.env.PORT) || 3000, '127.0.0.1')
  console.log(`NestJS example on ${await app.getUrl()}`)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
