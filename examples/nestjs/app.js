'use strict'

// A NestJS app authenticated by revocable: @nestjs/passport's
// PassportStrategy(Strategy) over revocable/passport-jwt with a Guard, the
// usual AuthGuard('jwt'), and logout routes that revoke. Plain JavaScript:
// Nest's decorators are applied as functions (what TypeScript compiles
// `@Injectable()` and friends into), so the example runs without a build step.
require('reflect-metadata')
const { randomUUID } = require('node:crypto')
const { Module, Controller, Injectable, Inject, Get, Post, Body, Req, HttpCode, UseGuards } = require('@nestjs/common')
const { PassportModule, PassportStrategy, AuthGuard } = require('@nestjs/passport')
const { Strategy, ExtractJwt } = require('../../lib/compat/passport-jwt') // 'revocable/passport-jwt' in an app

const AUTH = 'REVOCABLE_GUARD'

/** Decorates method `name` of `Class` as TypeScript would (`@Get('me') @UseGuards(...) me(@Req() req)`). */
function method(Class, name, decorators, params = []) {
  const proto = Class.prototype
  params.forEach((param, index) => param(proto, name, index))
  const descriptor = Reflect.decorate(decorators, proto, name, Object.getOwnPropertyDescriptor(proto, name))
  Object.defineProperty(proto, name, descriptor)
}

/** `@Injectable() class X { constructor(@Inject(AUTH) auth) }` */
function injectable(Class, decorator = Injectable()) {
  Inject(AUTH)(Class, undefined, 0)
  decorator(Class)
}

class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(auth) {
    // `guard`: the token is verified and checked against the revocation table
    // in one native call; a revoked one never reaches validate().
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), guard: auth })
  }

  validate(payload) {
    return { sub: payload.sub, sid: payload.sid }
  }
}
injectable(JwtStrategy)

class AuthController {
  constructor(auth) {
    this.auth = auth
  }

  // A stand-in for a real login (password check, ...): one session per call.
  login(body) {
    return { token: this.auth.sign({ sub: String(body.user), sid: randomUUID() }) }
  }

  me(req) {
    return req.user
  }

  async logout(req) {
    await this.auth.revokeSession(req.user.sid)
  }

  async logoutEverywhere(req) {
    await this.auth.revokeUser(req.user.sub)
  }
}
injectable(AuthController, Controller())
const jwtGuard = UseGuards(AuthGuard('jwt'))
method(AuthController, 'login', [Post('login')], [Body()])
method(AuthController, 'me', [Get('me'), jwtGuard], [Req()])
method(AuthController, 'logout', [Post('logout'), HttpCode(204), jwtGuard], [Req()])
method(AuthController, 'logoutEverywhere', [Post('logout-everywhere'), HttpCode(204), jwtGuard], [Req()])

/** The app's root module, around an opened revocable Guard. */
function appModule(auth) {
  class AppModule {}
  Module({
    imports: [PassportModule],
    controllers: [AuthController],
    providers: [JwtStrategy, { provide: AUTH, useValue: auth }],
  })(AppModule)
  return AppModule
}

module.exports = { appModule, JwtStrategy, AuthController, AUTH }
