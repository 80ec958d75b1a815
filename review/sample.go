package review

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// SampleParams records how a round was drawn.
type SampleParams struct {
	Since  time.Time      `json:"since"`
	N      int            `json:"n"`
	Strata map[string]int `json:"strata"` // stratum → answers drawn from it
	Sizes  map[string]int `json:"sizes"`  // stratum → answers in the period
}

// stratum names the stratum of an answer: its outcome and the citizen's feedback.
const stratumSQL = `a.outcome || '/' || CASE WHEN f.answer_id IS NULL THEN 'none' WHEN f.useful THEN 'useful' ELSE 'not_useful' END`

// Sample draws a round of about n answers that municipality's assistant gave since
// then, stratified by outcome × citizen feedback (none, useful, not useful):
// each non-empty stratum gets its proportional share, at least one, drawn at random.
// When n is smaller than the number of strata, the n largest get one each. The
// items are shuffled so that evaluators do not see the strata in order.
func (r *Rounds) Sample(ctx context.Context, municipality string, since time.Time, n int, name string, createdBy int64) (Round, error) {
	if n < 1 {
		return Round{}, fmt.Errorf("review: sample: n is %d, want at least 1", n)
	}
	if name == "" {
		return Round{}, errors.New("review: sample: the round needs a name")
	}
	sizes := map[string]int{}
	list, err := queryStrata(ctx, r.pool, municipality, since)
	if err != nil {
		return Round{}, err
	}
	for _, s := range list {
		sizes[s.Name] = s.Size
	}
	alloc := Allocate(sizes, n)
	if len(alloc) == 0 {
		return Round{}, ErrEmpty
	}
	names := make([]string, 0, len(alloc))
	counts := make([]int32, 0, len(alloc))
	for s, k := range alloc {
		names = append(names, s)
		counts = append(counts, int32(k))
	}
	params := SampleParams{Since: since.UTC(), N: n, Strata: alloc, Sizes: sizes}
	round := Round{Name: name, Municipality: municipality, CreatedBy: createdBy, Params: params}
	err = pgx.BeginFunc(ctx, r.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO eval_rounds (name, municipality, created_by, params)
			VALUES ($1, $2, $3, $4) RETURNING id, created_at`, name, municipality, createdBy, params).
			Scan(&round.ID, &round.CreatedAt); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `WITH pop AS (
				SELECT a.id, `+stratumSQL+` AS stratum,
				       row_number() OVER (PARTITION BY `+stratumSQL+` ORDER BY random()) AS k
				FROM answers a LEFT JOIN feedback f ON f.answer_id = a.id
				WHERE a.municipality = $2 AND a.created_at >= $3
			), want AS (
				SELECT * FROM unnest($4::text[], $5::int[]) AS w (stratum, n)
			)
			INSERT INTO eval_items (round_id, answer_id, position)
			SELECT $1, pop.id, row_number() OVER (ORDER BY random())
			FROM pop JOIN want ON want.stratum = pop.stratum AND pop.k <= want.n`,
			round.ID, municipality, since, names, counts)
		round.Items = int(tag.RowsAffected())
		return err
	})
	if err != nil {
		return Round{}, fmt.Errorf("review: sample: %w", err)
	}
	return round, nil
}

type stratumCount struct {
	Name string `db:"stratum"`
	Size int    `db:"size"`
}

func queryStrata(ctx context.Context, pool *pgxpool.Pool, municipality string, since time.Time) ([]stratumCount, error) {
	rows, err := pool.Query(ctx, `SELECT `+stratumSQL+` AS stratum, count(*) AS size
		FROM answers a LEFT JOIN feedback f ON f.answer_id = a.id
		WHERE a.municipality = $1 AND a.created_at >= $2
		GROUP BY stratum`, municipality, since)
	if err != nil {
		return nil, fmt.Errorf("review: sample: strata: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[stratumCount])
	if err != nil {
		return nil, fmt.Errorf("review: sample: strata: %w", err)
	}
	return list, nil
}

// Allocate divides n draws over strata of the given sizes in proportion to their
// size (largest remainders), giving every non-empty stratum at least one and none
// more than its size. When n is smaller than the number of strata, the n largest
// get one each. With n at least the total, every answer is drawn.
func Allocate(sizes map[string]int, n int) map[string]int {
	type stratum struct {
		name      string
		size, got int
		rem       float64
	}
	var list []*stratum
	total := 0
	for name, size := range sizes {
		if size > 0 {
			list = append(list, &stratum{name: name, size: size})
			total += size
		}
	}
	// Largest first, ties by name, so that the result does not depend on map order.
	slices.SortFunc(list, func(a, b *stratum) int {
		return cmp.Or(cmp.Compare(b.size, a.size), cmp.Compare(a.name, b.name))
	})
	out := map[string]int{}
	switch {
	case total == 0:
		return out
	case n >= total:
		for _, s := range list {
			out[s.name] = s.size
		}
		return out
	case n <= len(list):
		for _, s := range list[:n] {
			out[s.name] = 1
		}
		return out
	}
	sum := 0
	for _, s := range list {
		exact := float64(n) * float64(s.size) / float64(total)
		s.got = max(1, min(s.size, int(math.Floor(exact))))
		s.rem = exact - math.Floor(exact)
		sum += s.got
	}
	for sum > n { // the minimum of one pushed us over: take from the largest shares
		big := list[0]
		for _, s := range list {
			if s.got > big.got {
				big = s
			}
		}
		big.got--
		sum--
	}
	for sum < n { // hand out the rest by largest remainder, where there is room
		var best *stratum
		for _, s := range list {
			if s.got < s.size && (best == nil || s.rem > best.rem) {
				best = s
			}
		}
		best.got++
		best.rem = -1
		sum++
	}
	for _, s := range list {
		out[s.name] = s.got
	}
	return out
}
