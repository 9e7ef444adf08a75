package sqlstore

import "context"

// WithStep returns ctx carrying a hook that the store calls at named
// points of a write ("start", "posting", "pairing" of a rotation's
// completion; "confirm", "entry", "leave" after a write's reads;
// "load.committed" right after a bulk load's commit), so that a
// test can interrupt it half-way or race another writer against it.
func WithStep(ctx context.Context, fn func(step string)) context.Context {
	return context.WithValue(ctx, stepKey{}, fn)
}
