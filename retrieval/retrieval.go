// Package retrieval owns the searchable index: sources, documents, crawled addresses,
// their chunks with full-text vectors and embeddings, the recorded embedder, ingest
// runs and the term statistics behind typo repair, and the embedder seam. ingest
// writes through it; the answering code, eval and cmd read through it. Of the project
// it imports only internal/dutch.
package retrieval

import (
	"context"
	"errors"
	"strings"
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("retrieval: not found")

// Embedder turns texts into vectors. langchaingo's embeddings.Embedder satisfies it, and
// so does the built-in model in retrieval/lsa.
type Embedder interface {
	EmbedDocuments(ctx context.Context, texts []string) ([][]float32, error)
	EmbedQuery(ctx context.Context, text string) ([]float32, error)
}

// HeadingSeparator joins a chunk's heading path into one string.
const HeadingSeparator = " > "

// EmbedText is the text of a chunk that is embedded: the page title and the heading
// path give a short section the context it lacks on its own.
func EmbedText(title, headings, body string) string {
	var b strings.Builder
	b.Grow(len(title) + len(headings) + len(body) + 2)
	b.WriteString(title)
	if headings != "" {
		b.WriteString("\n")
		b.WriteString(headings)
	}
	b.WriteString("\n")
	b.WriteString(body)
	return b.String()
}
