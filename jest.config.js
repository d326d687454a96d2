'use strict'

// `npm test` runs the quick suite; scale, soak and benchmark-smoke tests are
// named *.slow.test.js and run under `npm run test:slow` (jest.slow.config.js).
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/__test__/**/*.test.js'],
  testPathIgnorePatterns: ['/node_modules/', '\\.slow\\.test\\.js$'],
}
