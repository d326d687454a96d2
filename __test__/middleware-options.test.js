'use strict'

const { Verifier } = require('..')
const { expressMiddleware, koaMiddleware } = require('../lib/middleware')
const { bearerToken, cookieValue } = require('../lib/middleware/token')
const { compileUnless } = require('../lib/middleware/unless')
const { keys, thrown } = require('./helpers')

const verifier = new Verifier({ algorithms: ['HS256'], key: keys.secret })

describe('bearerToken', () => {
  test('returns the token of a Bearer header, whatever the scheme casing and spacing', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi')
    expect(bearerToken('BEARER   abc.def.ghi')).toBe('abc.def.ghi')
  })

  test('treats no header and other schemes as no token', () => {
    expect(bearerToken(undefined)).toBeUndefined()
    expect(bearerToken('')).toBeUndefined()
    expect(bearerToken('Basic dTE6cHc=')).toBeUndefined()
    expect(bearerToken('Bearerx abc')).toBeUndefined()
  })

  test.each(['Bearer', 'Bearer ', 'Bearer a b', 'Bearer\tabc'])('refuses %j as ERR_JWT_MALFORMED', (header) => {
    expect(thrown(() => bearerToken(header)).code).toBe('ERR_JWT_MALFORMED')
  })

  // The usual form is read without a character check (a regular expression over
  // the whole header cost ~0.3 µs): the verifier refuses the characters, same code.
  test.each(['Bearer a,b.c.d', 'Bearer a.b.c\u00e4', 'Bearer a.b.c\n'])('hands %j to the verifier, which refuses it as ERR_JWT_MALFORMED', (header) => {
    expect(thrown(() => verifier.verify(bearerToken(header))).code).toBe('ERR_JWT_MALFORMED')
  })
})

describe('cookieValue', () => {
  test('finds the named cookie among others, not one whose name merely ends the same', () => {
    expect(cookieValue('xaccess=1; access=2; b=3', 'access')).toBe('2')
    expect(cookieValue('a=1;access=tok', 'access')).toBe('tok')
  })

  test('takes the first of duplicate names, unquotes and percent-decodes', () => {
    expect(cookieValue('access=first; access=second', 'access')).toBe('first')
    expect(cookieValue('access="a.b.c"', 'access')).toBe('a.b.c')
    expect(cookieValue('access=a%2Eb', 'access')).toBe('a.b')
    expect(cookieValue('access=a%E0b', 'access')).toBe('a%E0b')
  })

  test('is undefined for a missing or empty cookie', () => {
    expect(cookieValue(undefined, 'access')).toBeUndefined()
    expect(cookieValue('other=1', 'access')).toBeUndefined()
    expect(cookieValue('access=; other=1', 'access')).toBeUndefined()
    expect(cookieValue('access=""', 'access')).toBeUndefined()
  })
})

describe('compileUnless', () => {
  test('a global RegExp matches every time, not every other time', () => {
    const skip = compileUnless({ path: /^\/public/g })
    expect([1, 2, 3].map(() => skip(null, 'GET', '/public/x'))).toEqual([true, true, true])
  })

  test('a function rule skips only on true', () => {
    expect(compileUnless(() => 1)(null, 'GET', '/')).toBe(false)
    expect(compileUnless(() => true)(null, 'GET', '/')).toBe(true)
  })

  test('a path with methods skips only those methods', () => {
    const skip = compileUnless({ path: [{ url: '/login', method: 'post' }] })
    expect(skip(null, 'POST', '/login')).toBe(true)
    expect(skip(null, 'GET', '/login')).toBe(false)
  })
})

describe.each([
  ['expressMiddleware', expressMiddleware, 'next', 'throw'],
  ['koaMiddleware', koaMiddleware, 'throw', 'next'],
])('%s options', (name, factory, ownMode, otherMode) => {
  const invalid = (fn) => {
    const err = thrown(fn)
    expect(err.code).toBe('ERR_JWT_INVALID_OPTION')
    return err
  }

  test('builds with defaults and with its own error mode', () => {
    expect(typeof factory(verifier)).toBe('function')
    expect(typeof factory(verifier, { errors: ownMode }).unless).toBe('function')
  })

  test('refuses a verifier without verify()', () => {
    expect(invalid(() => factory({})).claim).toBe('verifier')
    invalid(() => factory(null))
  })

  test('refuses unknown option names, naming them', () => {
    expect(invalid(() => factory(verifier, { credentialRequired: false })).message).toBe(`invalid option \`credentialRequired\`: is not an option of ${name}()`)
  })

  test("refuses the other framework's error mode", () => {
    invalid(() => factory(verifier, { errors: otherMode }))
  })

  test('refuses non-boolean flags, a getToken that is not a function, and cookie with getToken', () => {
    invalid(() => factory(verifier, { credentialsRequired: 'false' }))
    invalid(() => factory(verifier, { passthrough: 1 }))
    invalid(() => factory(verifier, { getToken: 'header' }))
    invalid(() => factory(verifier, { cookie: '' }))
    invalid(() => factory(verifier, { cookie: 'access', getToken: () => undefined }))
  })

  test('refuses an async unless function and unknown unless keys', () => {
    invalid(() => factory(verifier, { unless: async () => true }))
    invalid(() => factory(verifier, { unless: { ext: '.png' } }))
    invalid(() => factory(verifier, { unless: {} }))
    invalid(() => factory(verifier).unless({ path: [42] }))
  })
})

test('claims never go to a prototype, whatever the property name', () => {
  for (const requestProperty of ['__proto__', 'a.__proto__', 'constructor', 'a..b', '']) {
    expect(thrown(() => expressMiddleware(verifier, { requestProperty })).code).toBe('ERR_JWT_INVALID_OPTION')
  }
  expect(thrown(() => koaMiddleware(verifier, { key: '__proto__' })).code).toBe('ERR_JWT_INVALID_OPTION')
})

describe('the path unless rules match', () => {
  const { pathOf } = require('../lib/middleware/unless')
  test('is the pathname Express routes on: no query, no fragment, no scheme or host', () => {
    expect(pathOf('/admin?x=.css')).toBe('/admin')
    expect(pathOf('/admin#x.css')).toBe('/admin')
    expect(pathOf('http://h/admin#.css')).toBe('/admin')
    expect(pathOf('https://h:8080')).toBe('/')
    expect(pathOf('/login')).toBe('/login')
  })
})
