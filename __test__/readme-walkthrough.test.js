'use strict'

// README's curl walk-through of `npm start`, run as written against the real
// example server (started the way `npm start` starts it, on a free port).
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawn, execFileSync } = require('node:child_process')
const { freePort } = require('./helpers-servers')

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8')
const section = readme.slice(readme.indexOf('## The example app'))
const script = section.match(/```sh\n([\s\S]*?)```/)[1]
const pkg = require('../package.json')

test('the curl walk-through logs alice out everywhere', async () => {
  expect(pkg.scripts.start).toBe('node examples/express-app/app.js')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-walkthrough-'))
  const port = await freePort()
  const server = spawn(process.execPath, [path.join(__dirname, '..', 'examples/express-app/app.js')], {
    env: { ...process.env, PORT: String(port), REVOCABLE_DB: path.join(dir, 'r.db') },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  try {
    await new Promise((resolve, reject) => {
      server.stdout.on('data', (d) => { if (String(d).includes('listening')) resolve() })
      server.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
    })
    const body = script.replace('npm start &\n', '').replaceAll('localhost:3000', `localhost:${port}`)
    const out = execFileSync('bash', ['-euo', 'pipefail', '-c', body], { encoding: 'utf8' })
    expect(out).toMatch(/^\{"sub":"alice","role":"user","sid":"[0-9a-f-]{36}"\}/)
    expect(out).toMatch(/\}HTTP\/1\.1 401 Unauthorized\s*$/)
  } finally {
    server.kill()
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
