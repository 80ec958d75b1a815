-- Vraagbaak schema, part 17: the kind of a page (package ingest/extract decides it from the
-- page's structure) and the lead answer of a question page.

-- question: the title asks, the first paragraph answers; product: a product or service page;
-- overview: mostly links, crawled for its links but never cited (it is stored without
-- chunks, so search never returns it); news; other. Pages stored before this migration are
-- 'other' until the next crawl re-stores them (the content hash covers the kind).
ALTER TABLE documents ADD COLUMN kind text NOT NULL DEFAULT 'other'
    CHECK (kind IN ('question', 'product', 'overview', 'news', 'other'));

-- The chunk of a question page that holds its lead answer: the first paragraph after the
-- question, for matching a citizen's question to the page's own.
ALTER TABLE chunks ADD COLUMN lead boolean NOT NULL DEFAULT false;
