'use strict'

// The `revocable` command against SQLite, driven as a child process.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { cli } = require('./helpers-cli')
const { start, tokenFor, secret } = require('./helpers-sync')
const { sign } = require('..')

jest.setTimeout(30_000)

let dir
let db
let env
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-cli-'))
  db = path.join(dir, 'revocations.db')
  env = { REVOCABLE_STORE: `sqlite:${db}`, REVOCABLE_MAX_TOKEN_LIFETIME: '1h' }
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('usage', () => {
  test.each([
    [['frob'], /unknown command "frob"/],
    [['revoke'], /revoke needs one of: user, session, token, all, users/],
    [['revoke', 'user'], /revoke user needs <sub>/],
    [['revoke', 'user', 'a', 'b'], /takes <sub>, not "b"/],
    [['status', '--jti', 'x'], /--jti does not apply to status/],
    [['status', '--nope'], /Unknown option '--nope'/],
    [['revoke', 'user', 'a', '--before', 'yesterday'], /--before: "yesterday" is not a time/],
    [['revoke', 'user', 'a', '--before', '-15m'], /write a value starting with - as --before=-15m/],
    [['status', '--table', 'x"; DROP TABLE y; --'], /sqlite store: invalid option `table`: must be a plain SQL identifier/],
    [['status', '--store', 'redis://127.0.0.1:1', '--prefix', 'a*'], /redis store: invalid option `prefix`/],
    [['status', '--store', 'mysql://db/x'], /--store: unknown scheme mysql:/],
    [['revoke', 'session', 'x', '--claim', 'revocable:horizon'], /--claim revocable:horizon is reserved/],
  ])('%j exits 2 with one line saying what is wrong', async (args, message) => {
    const { status, stdout, stderr } = await cli(args, { env })
    expect(status).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toMatch(message)
    expect(stderr.trim().split('\n')).toHaveLength(1)
  })

  test('without a store or the app lifetime it says what to pass, and exits 2', async () => {
    const noStore = await cli(['status'])
    expect(noStore.status).toBe(2)
    expect(noStore.stderr).toMatch(/no store: pass --store/)
    // A store no app has opened yet holds no maxTokenLifetime (the store's horizon) to keep records by.
    expect((await cli(['status', '--create'], { env: { REVOCABLE_STORE: db } })).status).toBe(0)
    const noLifetime = await cli(['revoke', 'user', 'a'], { env: { REVOCABLE_STORE: db } })
    expect(noLifetime.status).toBe(2)
    expect(noLifetime.stderr).toMatch(/no app has recorded its maxTokenLifetime in this store yet: pass the apps' --max-token-lifetime/)
  })

  test('--help lists every command, and each command its own options', async () => {
    const all = await cli(['--help'])
    expect(all.status).toBe(0)
    for (const c of ['revoke user', 'revoke users', 'status', 'check', 'export', 'import', 'prune', 'doctor']) expect(all.stdout).toContain(c)
    const one = await cli(['revoke', 'session', '--help'])
    expect(one.status).toBe(0)
    expect(one.stdout).toMatch(/usage: revocable revoke session <sid>/)
    expect(one.stdout).toMatch(/--claim <claim>/)
    expect(one.stdout).not.toMatch(/--jti/)
  })

  test('a store that does not exist is not created by mistake: exit 1 naming the store and what to do', async () => {
    const { status, stderr } = await cli(['revoke', 'user', 'a', '--store', path.join(dir, 'typo.db')], { env })
    expect(status).toBe(1)
    expect(stderr).toMatch(/^revocable: sqlite:.*typo\.db#revocable_revocations: no revocable table .* pass --create/)
    expect(fs.existsSync(path.join(dir, 'typo.db'))).toBe(false)
  })
})

test.each([
  ['redis://:hunter2@127.0.0.1:1/0', /^revocable: redis:127\.0\.0\.1:1\/0#revocable: cannot open the store \(connect ECONNREFUSED/],
  ['postgres://app:hunter2@127.0.0.1:1/db', /^revocable: postgres:127\.0\.0\.1:1\/db#revocable_revocations: cannot open the store \(connect ECONNREFUSED/],
])('an unreachable store (%s) is exit 1, one line naming it, without its password', async (url, message) => {
  const { status, stderr } = await cli(['status', '--store', url])
  expect(status).toBe(1)
  expect(stderr).toMatch(message)
  expect(stderr).toMatch(/check that it is running and that --store is right\n$/)
  expect(stderr).not.toContain('hunter2')
  expect(stderr.split('\n')).toHaveLength(2)
})

describe('against a running app', () => {
  let app
  afterEach(() => app?.stop())

  test('a revocation made from the shell is enforced by a Guard in another process', async () => {
    app = await start({ kind: 'sqlite', file: db, name: 'revocable_revocations' })
    const alice = tokenFor('alice')
    const device = sign({ sub: 'bob', sid: 'laptop-7' }, secret, { expiresIn: 600, clock: () => Date.now() - 1000 })
    const stolen = sign({ sub: 'carol', jti: 'j-1' }, secret, { expiresIn: 600, clock: () => Date.now() - 1000 })
    for (const t of [alice, device, stolen]) expect(await app.call('verify', { token: t })).toBe('accepted')

    // No lifetime given, or a shorter one than the app's: the app's (1 h, recorded in the store
    // by its Guard) decides, as it would for the Guard itself.
    const user = await cli(['revoke', 'user', 'alice', '--json', '--max-token-lifetime', '10m'], { env: { REVOCABLE_STORE: env.REVOCABLE_STORE } })
    expect(user.status).toBe(0)
    const { written } = JSON.parse(user.stdout)
    // What the Guard would write: a cut-off just after now, kept 2 x maxTokenLifetime + tolerance (5 min by default).
    expect(written).toEqual({ kind: 'user', key: 'alice', at: expect.any(Number), expiresAt: written.at + 2 * 3_600_000 + 300_000 })
    const longer = JSON.parse((await cli(['revoke', 'user', 'zed', '--json', '--max-token-lifetime', '2h'], { env })).stdout).written
    expect(longer.expiresAt).toBe(longer.at + 2 * 7_200_000 + 300_000)
    expect((await cli(['revoke', 'session', 'laptop-7'], { env })).stdout).toMatch(/^revoked sid "laptop-7": tokens issued before/)
    expect((await cli(['revoke', 'token', stolen], { env })).status).toBe(0)

    for (const t of [alice, device, stolen]) expect((await app.call('whenRejected', { token: t, timeoutMs: 5000 })).at).not.toBeNull()
    expect(await app.call('verify', { token: alice })).toBe('ERR_JWT_REVOKED:user')
    expect(await app.call('verify', { token: device })).toBe('ERR_JWT_REVOKED:session')
    expect(await app.call('verify', { token: stolen })).toBe('ERR_JWT_REVOKED:token')
    expect(await app.call('verify', { token: tokenFor('dave') })).toBe('accepted')

    const all = await cli(['revoke', 'all'], { env })
    expect(all.stdout).toMatch(/kept until never/)
    const dave = tokenFor('dave')
    expect((await app.call('whenRejected', { token: dave, timeoutMs: 5000 })).at).not.toBeNull()
    expect(await app.call('verify', { token: dave })).toBe('ERR_JWT_REVOKED:global')
  })
})

describe('inspecting', () => {
  test('status, show and check tell what the table holds and why a token is refused', async () => {
    const token = tokenFor('alice')
    expect((await cli(['revoke', 'user', 'bob', '--create'], { env })).status).toBe(0)
    const fresh = await cli(['check', token], { env })
    expect(fresh.status).toBe(0)
    expect(fresh.stdout).toMatch(/^accepted \(signature not checked/)
    expect((await cli(['revoke', 'user', 'alice', '--before', '2030-01-01T00:00:00Z'], { env })).status).toBe(0)

    const refused = await cli(['check', token, '--key', secret], { env })
    expect(refused.status).toBe(1)
    expect(refused.stdout).toMatch(/^refused: ERR_JWT_REVOKED \(user\)/)
    expect(refused.stdout).toContain('user "alice": tokens issued before 2030-01-01T00:00:00.000Z are refused')
    const forged = await cli(['check', token, '--key', 'another-secret-of-32-characters!!'], { env })
    expect(forged.stdout).toMatch(/^refused: ERR_JWT_SIGNATURE/)

    const show = await cli(['show', 'user', 'alice'], { env })
    expect(show.stdout).toMatch(/^user "alice": tokens issued before 2030-01-01T00:00:00.000Z are refused/)
    expect((await cli(['show', 'user', 'nobody'], { env })).stdout).toBe('user "nobody": no entry\n')

    const status = JSON.parse((await cli(['status', '--json'], { env })).stdout)
    expect(status).toMatchObject({ health: 'ok', schemaVersion: 2, kinds: { user: { count: 2 } }, total: { count: 2 }, changes: { count: 2 } })
  })
})

describe('revoke users on a terminal', () => {
  test('shows a progress bar on a TTY, and nothing but the result otherwise', async () => {
    const { main } = require('../lib/cli')
    const file = path.join(dir, 'subs.txt')
    fs.writeFileSync(file, Array.from({ length: 300 }, (_, i) => `user-${i}`).join('\n'))
    const run = async (isTTY) => {
      const out = { stdout: '', stderr: '' }
      const sink = (name) => ({ isTTY, write: (text) => { out[name] += text; return true } })
      const status = await main(['revoke', 'users', '--file', file, '--create'], { stdin: process.stdin, stdout: sink('stdout'), stderr: sink('stderr'), env })
      return { status, ...out }
    }
    const tty = await run(true)
    expect(tty.status).toBe(0)
    expect(tty.stderr).toMatch(/\r\[#{30}\] 100% 300 users revoked\n$/)
    expect(tty.stdout).toMatch(/^revoked 300 user\(s\) in sqlite:/)
    const piped = await run(false)
    expect(piped).toEqual({ status: 0, stdout: expect.stringMatching(/^revoked 300 user\(s\)/), stderr: '' })
  })
})
