// auth.test.js (this exact file runs in revocable's own suite: __test__/readme-jest-sample.test.js)
const { open, stores } = require('revocable')

let auth
beforeAll(async () => {
  auth = await open({ algorithms: ['HS256'], secret: 'a-test-secret-of-at-least-32-bytes', maxTokenLifetime: '1h', store: stores.memory() })
})
afterAll(() => auth.close())
afterEach(() => jest.useRealTimers())

test('logout everywhere refuses the tokens issued before it', async () => {
  const token = auth.sign({ sub: 'alice' })
  await auth.revokeUser('alice')
  expect(() => auth.verify(token)).toThrow(expect.objectContaining({ code: 'ERR_JWT_REVOKED', reason: 'user' }))
})

test('an access token expires after 15 minutes', () => {
  jest.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z') })
  const token = auth.sign({ sub: 'bob' }, { expiresIn: '15m' })
  jest.advanceTimersByTime(15 * 60 * 1000)
  expect(() => auth.verify(token)).toThrow(expect.objectContaining({ code: 'ERR_JWT_EXPIRED' }))
})
