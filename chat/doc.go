// Package chat owns the conversation between a citizen and the municipality: the
// conversations, their messages, feedback and the answer log in PostgreSQL; the
// websocket hub and the connections of citizens' widgets and staff consoles (the
// protocol of docs/protocol.md, the history/live gate, the answer worker); staff
// agents, their presence and the hand-off queue with call-back requests and transcript
// reads; the LISTEN/NOTIFY events that keep several instances in step; and the
// metrics of all of it. These share transactions, so they stay in one package.
// Answering itself (triage, guard, the answerers, the citation check) is package
// answer, which the answer worker calls through an *answer.Service.
//
// cmd/vraagbaak imports it; nothing else does. It imports answer, audit
// (each transcript read is recorded in the transaction that reads it), internal/pii
// and internal/throttle, pgx, gorilla/websocket and prometheus; never
// ingest, staff or langchaingo: a staff session reaches it as an Agent in the
// request context (WithAgent). Staff accounts it reads only through staff's
// staff_directory view (Transfer, Colleagues), never staff_accounts.
package chat
