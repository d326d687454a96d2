'use strict'

// The `revocable` command against SQLite with hostile input, driven as a child process (many processes: slow suite).
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { cli, sortedLines } = require('./helpers-cli')

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

const lastLine = (text) => text.trim().split('\n').pop()

describe('doctor', () => {
  test('doctor on a healthy SQLite file says all good and exits 0', async () => {
    await cli(['revoke', 'user', 'a', '--create'], { env })
    const { status, stdout } = await cli(['doctor'], { env })
    expect(lastLine(stdout)).toBe('all good')
    expect(status).toBe(0)
  })
})

describe('hostile input', () => {
  test('odd subs are stored as given and printed escaped; an over-long one is refused with exit 2', async () => {
    const odd = ['-rf', '名前 with spaces', 'esc\u001b[2Jape']
    for (const sub of odd) {
      const { status, stdout } = await cli(['revoke', 'user', '--create', '--', sub], { env })
      expect(status).toBe(0)
      expect(stdout).not.toContain('\u001b') // a terminal escape in a sub must not reach the on-call's terminal
    }
    const keys = sortedLines((await cli(['export'], { env })).stdout).map((l) => JSON.parse(l).key)
    expect(keys.sort()).toEqual([...odd].sort())
    const huge = await cli(['revoke', 'user', 'x'.repeat(5000)], { env })
    expect(huge.status).toBe(2)
    expect(huge.stderr).toMatch(/sub is 5000 characters long \(at most 1024\)/)
    // Under 1024 characters but over the stores' 2048 bytes: refused before anything is written.
    const wide = await cli(['revoke', 'user', '€'.repeat(700)], { env })
    expect(wide.status).toBe(2)
    expect(wide.stderr).toMatch(/key is over 2048 bytes/)
  })

  test('check and revoke token refuse malformed tokens with exit 2', async () => {
    await cli(['revoke', 'all', '--create', '--before', '2000-01-01'], { env })
    for (const bad of ['not.a.jwt', 'a.b', `${'x'.repeat(100)}.${'y'.repeat(100)}.z`, '']) {
      const { status, stderr } = await cli(['check', bad], { env })
      expect(status).toBe(2)
      expect(stderr).toMatch(/the token is not a JWT|check needs <jwt>/)
    }
    const segment = (o) => Buffer.from(JSON.stringify(o)).toString('base64url')
    const noJti = `${segment({ alg: 'HS256' })}.${segment({ sub: 'a', exp: 2_000_000_000 })}.c2ln`
    const { status, stderr } = await cli(['revoke', 'token', noJti], { env })
    expect(status).toBe(2)
    expect(stderr).toMatch(/cannot revoke this token: .*string jti/)
  })

  test('check --key: a header the key cannot verify (none, another family, not a string) is refused, an unusable key is bad usage', async () => {
    await cli(['revoke', 'all', '--create', '--before', '2000-01-01'], { env })
    const segment = (o) => Buffer.from(JSON.stringify(o)).toString('base64url')
    const payload = segment({ sub: 'a', iat: 1_700_000_000, exp: 2_000_000_000 })
    const key = 'a-check-secret-of-32-characters!!'
    for (const header of [{ alg: 'none' }, { alg: 'NONE' }, { alg: 'RS256' }, { alg: ['HS256'] }, { alg: 'HS256' }]) {
      const { status, stdout } = await cli(['check', `${segment(header)}.${payload}.c2ln`, '--key', key], { env })
      expect(status).toBe(1)
      expect(stdout).toMatch(header.alg === 'HS256' ? /^refused: ERR_JWT_SIGNATURE/ : /^refused: ERR_JWT_ALGORITHM/)
    }
    const short = await cli(['check', `${segment({ alg: 'HS256' })}.${payload}.c2ln`, '--key', 'short'], { env })
    expect(short.status).toBe(2)
    expect(short.stderr).toMatch(/^revocable: --key: .*at least 32 bytes/)
  })

  test('revoke users --file writes every good line, names each bad one, and exits 1', async () => {
    const file = path.join(dir, 'breach.txt')
    const lines = ['u1', '', '  u2  ', '{"sub":"u3"}', '"u4"', '{"sub":', 'x'.repeat(70 * 1024), '{"sub":"nul\\u0000"}', '{"kind":"token","key":"k","at":1}', 'u5\r']
    fs.writeFileSync(file, lines.join('\n'))
    const { status, stdout, stderr } = await cli(['revoke', 'users', '--file', file, '--create'], { env })
    expect(stdout).toMatch(/^revoked 5 user\(s\) in sqlite:.*; 4 line\(s\) skipped/)
    expect(stderr).toMatch(/line 6: skipped: not valid JSON/)
    expect(stderr).toMatch(/line 7: skipped: longer than 65536 bytes/)
    expect(stderr).toMatch(/line 8: skipped: sub contains U\+0000/)
    expect(stderr).toMatch(/line 9: skipped: a record here must be/)
    expect(status).toBe(1)
    const keys = sortedLines((await cli(['export', '--kind', 'user'], { env })).stdout).map((l) => JSON.parse(l).key)
    expect(keys).toEqual(['u1', 'u2', 'u3', 'u4', 'u5'])
  })

  test('import skips malformed lines by number, keeps the rest, and importing twice changes nothing', async () => {
    const good = [
      { kind: 'user', key: 'a', at: 1_900_000_000_000, expiresAt: 1_900_003_600_000 },
      { kind: 'global', key: '', at: 1_000, expiresAt: null },
    ]
    const input = [
      JSON.stringify(good[0]), 'not json', '{"kind":"wizard","key":"a","at":1,"expiresAt":2}', '{"kind":"user","key":1,"at":1}',
      '{"kind":"user","key":"b","at":"soon"}', 'null', '[]', JSON.stringify(good[1]),
      // Keys the Guard's table could not read back (it would skip them at every load).
      '{"kind":"session","key":"not-json","at":1,"expiresAt":null}', '{"kind":"token","key":"[\\"a\\"]","at":1,"expiresAt":null}',
      '{"kind":"group","key":"x/y","at":1,"expiresAt":null}',
    ].join('\n')
    const first = await cli(['import', '--create'], { env, input })
    expect(first.status).toBe(1)
    expect(first.stdout).toMatch(/^imported 2 record\(s\).*; 9 line\(s\) skipped/)
    for (const n of [2, 3, 4, 5, 6, 7, 9, 10, 11]) expect(first.stderr).toContain(`line ${n}: skipped`)
    expect(first.stderr).toContain('line 9: skipped: invalid record: a session key must be JSON text of [claim, value]')
    const before = (await cli(['export'], { env })).stdout
    expect(sortedLines(before)).toEqual(good.map((r) => JSON.stringify(r)).sort())
    expect((await cli(['import'], { env, input: before })).status).toBe(0)
    expect((await cli(['export'], { env })).stdout).toBe(before)
  })
})

describe('mass revocation', () => {
  test('20,000 subs from standard input are all written, in batches', async () => {
    const input = Array.from({ length: 20_000 }, (_, i) => `breached-${i}`).join('\n')
    const { status, stdout } = await cli(['revoke', 'users', '--file', '-', '--create', '--json'], { env, input })
    expect(status).toBe(0)
    expect(JSON.parse(stdout)).toMatchObject({ written: 20_000, skipped: 0 })
    const s = JSON.parse((await cli(['status', '--json'], { env })).stdout)
    expect(s.kinds.user.count).toBe(20_000)
  })
})
