// Package webhook makes one signed delivery attempt of a safeguarding
// alert to a configured webhook, and says what to do next.
//
// What it does: Endpoint.Validate checks an endpoint's configuration (a
// name fit for metric labels, an absolute http or https URL, a secret of
// at least 16 bytes). Sender.Send POSTs the alert's JSON body once, signed,
// with an idempotency key, under a per-attempt timeout, and classifies the
// answer in a Result: delivered (2xx); worth retrying (408, 425, 429, 5xx,
// a network error or timeout, the caller's context ending), with the
// receiver's Retry-After when it gave one; or failed for good (any other
// status, including a redirect, and an invalid endpoint). Backoff is the
// delay before the next attempt.
//
// What it does not do: it keeps no queue, retries nothing by itself,
// starts no goroutines and logs nothing. The caller (package alerts)
// keeps, in its store, each alert's attempts, when to try next
// (the later of Result.After and Backoff) and the dead letters (a Result
// with Retry false, or too many attempts). Error texts name the endpoint
// and the status; they never carry the response body, the secret, or the
// URL's user information and query.
//
// # Signature
//
// Every delivery carries
//
//	Resindex-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<unix seconds>." + body)>
//	Resindex-Delivery: <id>
//
// the scheme Stripe uses: the HMAC covers the timestamp as well as the
// body, so a receiver that refuses old timestamps refuses a replayed
// delivery, and a receiver that remembers the ids it has handled drops the
// repeats that retries can bring (an attempt that timed out may still have
// arrived). More than one v1 element may be present while secrets are
// rotated; a receiver accepts the delivery if any matches. Elements of
// other schemes are ignored.
//
// A receiver verifies the raw body, before decoding it:
//
//	func receive(w http.ResponseWriter, r *http.Request) {
//		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
//		if err != nil {
//			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
//			return
//		}
//		sig := r.Header.Get(webhook.SignatureHeader)
//		if err := webhook.Verify(secret, body, sig, time.Now(), 5*time.Minute); err != nil {
//			http.Error(w, "bad signature", http.StatusUnauthorized) // permanent: not retried
//			return
//		}
//		if seen(r.Header.Get(webhook.DeliveryHeader)) {
//			w.WriteHeader(http.StatusOK) // a repeat: already handled
//			return
//		}
//		// … handle the alert, then answer 2xx.
//	}
//
// Without this package the check is: split the header on ",", take t and
// every v1, compute HMAC-SHA256 with the secret over t + "." + body, compare
// it with each v1 in constant time (hmac.Equal), and refuse a t more than
// a few minutes from now.
package webhook
