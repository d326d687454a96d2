'use strict'

// The constants this side must share with the core (src/binding/contract.rs),
// read from the addon rather than copied: the iat skew, the number of
// revocation groups and the scratch view's layout. Every time crossing the
// binding is in milliseconds since the epoch; a native error's detail crosses
// as its properties (code, claim, reason: lib/errors.js).
// __test__/contract.test.js checks the core behaves as these say.
module.exports = Object.freeze(require('./native').contract())
