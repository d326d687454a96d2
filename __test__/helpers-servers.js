'use strict'

// Private servers for fault tests (down, frozen, evicting, replicas): each
// gets a port of its own, and only the test that started it stops it. The
// shared servers on 5432 and 6379 are never touched.
//
// Ports are picked below the kernel's ephemeral range (32768 and up on
// Linux), so a client socket of another test cannot hold the one we chose,
// and are checked free before the server is started. A server that exits
// before it is ready (another process won the port in between) is started
// again on a new port, or on the same port after a pause when the test needs
// that port (a restart).

const fs = require('node:fs')
const os = require('node:os')
const net = require('node:net')
const path = require('node:path')
const { spawn } = require('node:child_process')

const LOW = 20000
const HIGH = 32000

/** A port nothing listens on now, in [20000, 32000). */
async function freePort() {
  for (;;) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW))
    const free = await new Promise((resolve) => {
      const probe = net.createServer()
      probe.once('error', () => resolve(false))
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
    })
    if (free) return port
  }
}

/** One try: resolves with the process once it is ready, rejects with its output if it exits first. */
function startOnce(port, args, ready) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-redis-'))
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise((resolve, reject) => {
    let out = ''
    const read = (d) => {
      out += d
      if (out.includes(ready)) resolve(server)
    }
    server.stdout.on('data', read)
    server.stderr.on('data', read)
    server.once('error', reject)
    server.once('exit', (code) => reject(new Error(`redis-server on port ${port} exited with ${code}: ${out.slice(-500)}`)))
  })
}

/**
 * Starts a private redis-server and resolves with `{ server, port }`.
 * `args` are extra command-line arguments; `port` pins the port (a restart).
 */
async function privateRedis({ args = [], port } = {}) {
  let last
  for (let attempt = 0; attempt < 5; attempt++) {
    const at = port ?? await freePort()
    try {
      return { server: await startOnce(at, args, 'Ready to accept connections'), port: at }
    } catch (e) {
      last = e
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  throw last
}

/** Kills a server (SIGKILL unless told) and waits for it to be gone. */
async function stopServer(server, signal = 'SIGKILL') {
  if (!server || server.exitCode !== null || server.signalCode !== null) return
  const exited = new Promise((resolve) => server.once('exit', resolve))
  server.kill('SIGCONT') // a frozen server cannot act on SIGTERM
  server.kill(signal)
  await exited
}

module.exports = { freePort, privateRedis, stopServer }
