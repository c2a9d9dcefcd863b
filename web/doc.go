// Package web serves resindex over HTTP: the JSON API under /api/v1/
// (described by openapi.yaml, served at /api/v1/openapi.yaml) and sign-in.
//
// Every request is signed in before it reaches a handler: an API token
// (service accounts; `resindex token create`), an OpenID Connect bearer
// token (staff using a council's identity provider), or the session a
// browser gets from the OpenID Connect authorization-code flow with PKCE
// (or, only in `resindex demo`, from the demo sign-in page). Every read
// goes through the access package, which redacts and audits it; this
// package only maps requests and errors, and limits each principal's
// rate.
package web
