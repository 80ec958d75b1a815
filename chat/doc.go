// Package chat owns the conversation between a citizen and the municipality: the
// conversations, their messages, feedback and the answer log in PostgreSQL; the
// websocket hub and the connections of citizens' widgets and staff consoles (the
// protocol of docs/protocol.md, the history/live gate, the answer worker); staff
// agents, their presence and the hand-off queue with call-back requests and transcript
// reads; and the LISTEN/NOTIFY events that keep several instances in step. These share
// transactions, so they stay in one package.
//
// Until answering has a package of its own, chat also answers: triage of hand-offs
// (handoff.txt and the crisis detector), the guard (guard.txt), the extractive and the
// optional generative answerer, the citation check, confidence and readability
// (Service).
//
// cmd/vraagbaak and eval import it; nothing else does. It imports retrieval, audit
// (each transcript read is recorded in the transaction that reads it), internal/pii,
// internal/dutch and internal/throttle, pgx, gorilla/websocket and prometheus; never
// ingest, staff or langchaingo: a language model reaches it as a GenerateFunc, a staff
// session as an Agent in the request context (WithAgent).
package chat
