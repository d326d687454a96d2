'use strict'

// The example page in headless Chromium (Debian's `chromium`, driven by
// playwright-core): alice logs in and calls the API; an admin, in a second
// browser context, revokes her; her page shows it is logged out and its
// storage holds no token. Outside CI, without Chromium, this is skipped (with
// a message); under CI=true it must run.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

/* global document -- the functions passed to page.* run in the page */

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
const available = fs.existsSync(CHROMIUM)
if (!available && process.env.CI === 'true') {
  throw new Error(`the browser test needs Chromium at ${CHROMIUM} under CI (.ci/run installs Debian's chromium)`)
}
if (!available) console.warn(`browser.test.js skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`)

const describeIf = available ? describe : describe.skip

describeIf('the example page in headless Chromium', () => {
  let browser, server, auth, dir, base
  beforeAll(async () => {
    const { chromium } = require('playwright-core')
    const revocable = require('..')
    const { createApp } = require('../examples/express-app/app')
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `revocable-browser-${process.pid}-`))
    let app
    ;({ app, auth } = await createApp({ store: revocable.stores.sqlite(path.join(dir, 'revocable.db')) }))
    await new Promise((resolve) => { server = app.listen(0, '127.0.0.1', resolve) })
    base = `http://127.0.0.1:${server.address().port}`
    // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] })
  }, 60_000)
  afterAll(async () => {
    if (browser) await browser.close()
    if (server) await new Promise((resolve) => server.close(resolve))
    if (auth) await auth.close()
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
  })

  async function logIn(context, username, password) {
    const page = await context.newPage()
    await page.goto(base)
    await page.fill('#username', username)
    await page.fill('#password', password)
    await page.click('#login')
    await page.waitForFunction((who) => document.getElementById('status').textContent === `logged in as ${who}`, username)
    return page
  }

  const stored = (page) => page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))

  test('log in, call the API, get revoked from another context: the page logs itself out and forgets the tokens', async () => {
    const userContext = await browser.newContext()
    const adminContext = await browser.newContext()
    try {
      const page = await logIn(userContext, 'alice', 'wonderland')
      // A second tab of the same browser profile shares the page's localStorage;
      // it does not poll, so only the storage event can tell it.
      const otherTab = await userContext.newPage()
      await otherTab.goto(`${base}/?poll=0`)
      expect(await otherTab.textContent('#status')).toBe('logged in as alice')
      await page.click('#call')
      await page.waitForFunction(() => /^200 .*"sub":"alice"/.test(document.getElementById('out').textContent))
      expect(await stored(page)).toMatch(/revocable\.access.*revocable\.refresh|revocable\.refresh.*revocable\.access/)

      const admin = await logIn(adminContext, 'admin', 'admin')
      await admin.fill('#revoke-user', 'alice')
      await admin.click('#revoke')
      await admin.waitForFunction(() => document.getElementById('log').textContent.includes('revoke alice: 204'))

      // The page polls the API every second; no click needed.
      await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('logged out'), null, { timeout: 10_000 })
      expect(await page.textContent('#status')).toBe('logged out (ERR_JWT_REVOKED)')
      expect(await page.isVisible('#login-form')).toBe(true)
      expect(await stored(page)).toBe('{}{}')
      // The other tab learns it from the storage event: it never sent the revoked token itself.
      await otherTab.waitForFunction(() => document.getElementById('status').textContent.startsWith('logged out'), null, { timeout: 5_000 })
      expect(await otherTab.textContent('#status')).toBe('logged out (LOGGED_OUT_ELSEWHERE)')
      // The admin's own session is untouched.
      await admin.click('#call')
      await admin.waitForFunction(() => /^200 .*"sub":"admin"/.test(document.getElementById('out').textContent))
    } finally {
      await userContext.close()
      await adminContext.close()
    }
  }, 60_000)
})
