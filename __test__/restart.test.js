'use strict'

// Restart survival on the embedded store: open, revoke, close; a new process
// opening the same file still refuses the token.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { execFileSync } = require('node:child_process')
const revocable = require('..')

const secret = 'a-restart-test-secret-of-32-bytes'

function inChild(file, token) {
  const script = `
    const revocable = require(${JSON.stringify(path.join(__dirname, '..'))})
    revocable.open({ algorithms: ['HS256'], secret: ${JSON.stringify(secret)}, maxTokenLifetime: '1h',
      store: revocable.stores.sqlite(${JSON.stringify(file)}) })
      .then(async (auth) => {
        let verdict = 'accepted'
        try { auth.verify(${JSON.stringify(token)}) } catch (e) { verdict = e.code + ':' + e.reason }
        await auth.close()
        process.stdout.write(verdict)
      })`
  return execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })
}

test('a revocation made before close is enforced by a new process on the same SQLite file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'revocable-restart-'))
  const file = path.join(dir, 'revocations.db')
  try {
    const auth = await revocable.open({ algorithms: ['HS256'], secret, maxTokenLifetime: '1h', store: revocable.stores.sqlite(file) })
    const user = auth.sign({ sub: 'u1' })
    const session = auth.sign({ sub: 'u2', sid: 's2' })
    const single = auth.sign({ sub: 'u3' })
    expect(inChild(file, user)).toBe('accepted')
    await auth.revokeUser('u1')
    await auth.revokeSession('s2')
    await auth.revokeToken(single)
    await auth.close()
    expect(inChild(file, user)).toBe('ERR_JWT_REVOKED:user')
    expect(inChild(file, session)).toBe('ERR_JWT_REVOKED:session')
    expect(inChild(file, single)).toBe('ERR_JWT_REVOKED:token')
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
