'use strict'

// The slow suite (`npm run test:slow`): only *.slow.test.js.
module.exports = {
  ...require('./jest.config'),
  testMatch: ['<rootDir>/__test__/**/*.slow.test.js'],
  testPathIgnorePatterns: ['/node_modules/'],
}
