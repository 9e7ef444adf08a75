// Package criteria is the pure policy engine of Fupin: it evaluates one
// household for one year under a set of policy parameters and returns, per
// item of 两不愁三保障 + 饮水安全 (+ 一达标) and income, pass / fail / unknown
// with a Chinese reason, the facts it used and the parameter values it used,
// plus a separate list of monitoring risk signals.
// It does no I/O and keeps no state.
//
// # Rules
//
// Missing data gives unknown, never a silent pass. Income below the
// monitoring line makes the income item fail and raises the
// income_below_line signal, but income is not a core item: Verdict.Pass and
// Verdict.Problems count only the core items (food, clothing, education,
// medical, housing, water, standard), so a summary can tell 两不愁三保障 and
// water problems from income risk. When the 一达标 basis is "income" the
// standard item mirrors the income result and so does count.
//
// Members count when they belong to the household on the assessment date
// (fupin.Member.PresentOn) and were born by then; ages are full years on that
// date (as fupin.Member.AgeOn). The date is 31 December of the year unless
// the caller gives one.
//
// # Parameters
//
// Every number that varies by province and year is a parameter (Defs lists
// key, label, unit, kind, default and the source of the default). Resolve
// picks, per key, the row of the most specific area prefix and the latest
// year not after the assessed year, else the built-in default. The resolved
// Params carry where each value came from and a Version hash that every
// Verdict records.
//
// # Performance design
//
// Evaluation is the hot path of whole-county recomputations (target: one
// million households a second on one core), so it does no map look-ups, no
// fmt and no string building, and allocates at most once:
//   - Evaluator.Evaluate writes into buffers the Evaluator owns and reuses:
//     no allocation at all. The Verdict is valid until the next call; encode
//     or Clone it first. This is the batch path.
//   - The package function Evaluate allocates one arena per household
//     (results, checks, signals, facts) that the returned Verdict points
//     into, so the caller may keep it. Results and facts are filled in place,
//     field by field: copying whole structs with pointers costs bulk write
//     barriers while the GC is marking.
//   - A Fact is a 32-byte typed value (name and kind as small integers, a
//     number, a code index, the member's name); it is never formatted.
//   - Each Result records a stable reason Code. The Chinese reason is
//     rendered from the code, the facts and the parameters only when asked
//     for: by Result.Text, by Verdict.Render (which fills the Reason fields
//     in place), and by the JSON encoders, which always emit "reason".
//   - The parameter uses of each rule are precomputed when Params is
//     resolved, so Result.Params points into the shared, read-only Params:
//     never modify its elements.
//
// Decoding a stored Verdict from JSON gives back the stored reason texts.
// Verdict.JSON encodes the same bytes as json.Marshal about twice as fast.
package criteria
