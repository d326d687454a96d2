'use strict'

// The constants this side must share with the core (src/binding/contract.rs),
// read from the addon rather than copied: the iat skew, the number of
// revocation groups, the scratch view's layout and the error separator. Every
// time crossing the binding is in milliseconds since the epoch.
// __test__/contract.test.js checks the core behaves as these say.
module.exports = Object.freeze(require('./native').contract())
require('./errors').useSeparator(module.exports.errorSeparator)
