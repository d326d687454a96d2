'use strict'

// The constants this side must share with the core (src/binding/contract.rs),
// read from the addon rather than copied: the iat skew, the number of
// revocation groups, the scratch and shape views' layouts and the record
// kinds' numbers in a bulk load. Every time crossing the
// binding is in milliseconds since the epoch; a native error's detail crosses
// as its properties (code, claim, reason: lib/errors.js).
// __test__/contract.test.js checks the core behaves as these say.
const contract = require('./native').contract()
for (const inner of ['recordKinds', 'claimNames', 'shapeTypes']) Object.freeze(contract[inner])
module.exports = Object.freeze(contract)
