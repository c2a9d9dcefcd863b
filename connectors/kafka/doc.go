// Package kafka connects resindex to Kafka with segmentio/kafka-go.
//
// The Consumer reads the configured topics as one consumer group. Each
// message is decoded and applied with its topic, partition and offset in
// the same store transaction, and the group's offsets are committed to
// Kafka only after that (durable before acknowledged). A message whose
// offset the store has already applied is skipped, so a redelivery after
// a crash or a rebalance has no second effect. A message that cannot be
// decoded (a poison message) goes to the dead-letter topic <topic>.DLT,
// unchanged, with headers naming the error and where it came from; the
// consumer carries on. A failure to apply (the store) is retried with
// backoff and never skipped, since a later commit would hide it.
//
// The Publisher sends the index's change feed (the store's outbox) to a
// topic, keyed by person ID, with an idempotency key in the headers; what
// it has sent is remembered in the store.
package kafka
