// Command duckbench is the DuckDB baseline of mineralpact's speed target
// (issue 18, part 6; docs/exports.md, "Speed against DuckDB"): it runs the
// floor-gap duty as SQL over a declarations CSV and writes one CSV row per
// declaration it can price. It lives in a module of its own so that the
// main module needs neither cgo nor DuckDB.
//
// The query does what the floor-gap duty needs and nothing more: it types
// the columns (a row that does not type is left out, as assess rejects it),
// finds the mineral and stage of the HS code by the longest of its 8- and
// 6-digit prefixes, converts the quantity to tonnes and the value to US
// dollars at the month's FRED rate, takes the floor in force on the day of
// acceptance and writes max(0, floor − unit price) × contained quantity.
// It leaves out what assess also does (quotas, undertakings, stacked
// measures, preferences, rounding by the party's rule, the trace), so it is
// a lower bound on the work, which makes it a fair bar to clear.
//
//	duckbench --decl d.csv --floors floors.csv --hs hs_map.csv \
//	    --fx monthly.csv --series series.csv --out out.csv
//	duckbench --query "SELECT party, count(*) FROM 'assess.parquet' GROUP BY party"
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

const query = `
COPY (
  WITH d AS (
    SELECT id,
           TRY_CAST(accepted_on AS DATE) AS accepted_on,
           hs_code,
           TRY_CAST(quantity AS DECIMAL(18,6)) AS quantity,
           unit,
           TRY_CAST(content AS DECIMAL(18,9)) AS content,
           TRY_CAST(customs_value AS DECIMAL(18,2)) AS customs_value,
           currency
    FROM read_csv({{decl}}, header = true, all_varchar = true)
  ),
  hs AS ( -- a code of several minerals (a basket line) is priced as its first
    SELECT DISTINCT ON (code) code, mineral, stage, CAST(content AS DECIMAL(18,9)) AS content
    FROM read_csv({{hs}}, header = true, all_varchar = true)
  ),
  fx AS (
    SELECT CAST(m."Date" AS DATE) AS month, s.currency,
           CASE s.quotation WHEN 'units_per_usd' THEN 1 / CAST(m."Exchange rate" AS DOUBLE)
                ELSE CAST(m."Exchange rate" AS DOUBLE) END AS usd_per_unit
    FROM read_csv({{fx}}, header = true, all_varchar = true) m
    JOIN read_csv({{series}}, header = true, all_varchar = true) s ON s.fred_country = m."Country"
  ),
  floors AS ( -- one floor a mineral, stage and day of entry into force
    SELECT DISTINCT ON (mineral, stage, valid_from) mineral, stage, CAST(price AS DECIMAL(18,2)) AS floor,
           CAST(valid_from AS DATE) AS valid_from,
           coalesce(TRY_CAST(valid_to AS DATE), DATE '9999-12-31') AS valid_to -- '-': open
    FROM read_csv({{floors}}, header = true, all_varchar = true)
  ),
  priced AS (
    SELECT d.id, coalesce(h8.mineral, h6.mineral) AS mineral, coalesce(h8.stage, h6.stage) AS stage,
           d.quantity * CASE d.unit WHEN 't' THEN 1 WHEN 'kg' THEN 0.001 WHEN 'lb' THEN 0.00045359237 END
             * coalesce(d.content, h8.content, h6.content) AS contained,
           CASE d.currency WHEN 'USD' THEN d.customs_value
                ELSE CAST(d.customs_value * fx.usd_per_unit AS DECIMAL(18,2)) END AS value_usd,
           d.accepted_on
    FROM d
    LEFT JOIN hs h8 ON h8.code = d.hs_code
    LEFT JOIN hs h6 ON h6.code = substr(d.hs_code, 1, 6)
    LEFT JOIN fx ON fx.currency = d.currency AND fx.month = date_trunc('month', d.accepted_on)
    WHERE d.accepted_on IS NOT NULL AND d.quantity > 0 AND d.customs_value IS NOT NULL
      AND d.unit IN ('t', 'kg', 'lb') AND (d.currency = 'USD' OR fx.usd_per_unit IS NOT NULL)
  )
  SELECT p.id, p.mineral, p.stage, p.contained, p.value_usd / p.contained AS unit_price, f.floor,
         greatest(0, f.floor - p.value_usd / p.contained) * p.contained AS variable_duty
  FROM priced p
  JOIN floors f ON f.mineral = p.mineral AND f.stage = p.stage
   AND p.accepted_on >= f.valid_from AND p.accepted_on < f.valid_to
  WHERE p.contained > 0
) TO {{out}} (HEADER, DELIMITER ',')`

func main() {
	start := time.Now()
	decl := flag.String("decl", "", "declarations CSV (mineralpact gen declarations)")
	floors := flag.String("floors", "", "floors CSV (mineralpact prices compute --format csv, several dates)")
	hs := flag.String("hs", "", "HS map CSV (data/hs_map.csv)")
	fx := flag.String("fx", "", "FRED monthly rates CSV (data/fred-exchange-rates/monthly.csv)")
	series := flag.String("series", "", "FRED series CSV (data/fred-exchange-rates/series.csv)")
	out := flag.String("out", "", "output CSV")
	threads := flag.Int("threads", 0, "DuckDB threads (0: DuckDB's default, one per core)")
	times := flag.String("times", "", "file to append \"<query seconds> <process seconds>\" to, a line a run")
	sqlText := flag.String("query", "", "run this SQL instead and print its rows (checking an export: docs/exports.md)")
	flag.Parse()
	if *sqlText != "" {
		if err := printQuery(*sqlText); err != nil {
			fail(err)
		}
		return
	}
	for name, v := range map[string]string{"decl": *decl, "floors": *floors, "hs": *hs, "fx": *fx, "series": *series, "out": *out} {
		if v == "" {
			fmt.Fprintf(os.Stderr, "duckbench: --%s is required\n", name)
			os.Exit(2)
		}
	}
	q := strings.NewReplacer("{{decl}}", lit(*decl), "{{floors}}", lit(*floors), "{{hs}}", lit(*hs),
		"{{fx}}", lit(*fx), "{{series}}", lit(*series), "{{out}}", lit(*out)).Replace(query)
	db, err := sql.Open("duckdb", "")
	if err != nil {
		fail(err)
	}
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		fail(err)
	}
	if *threads > 0 {
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("SET threads = %d", *threads)); err != nil {
			fail(err)
		}
	}
	qstart := time.Now()
	res, err := conn.ExecContext(ctx, q)
	if err != nil {
		fail(err)
	}
	qtime := time.Since(qstart)
	n, _ := res.RowsAffected()
	ptime := time.Since(start)
	fmt.Fprintf(os.Stderr, "duckbench: rows %d, query %.3f s, process %.3f s\n", n, qtime.Seconds(), ptime.Seconds())
	if *times != "" {
		f, err := os.OpenFile(*times, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			fail(err)
		}
		fmt.Fprintf(f, "%.6f %.6f\n", qtime.Seconds(), ptime.Seconds())
		if err := f.Close(); err != nil {
			fail(err)
		}
	}
}

// printQuery runs q and prints its rows, tab-separated, with a header.
func printQuery(q string) error {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.Query(q)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	fmt.Println(strings.Join(cols, "\t"))
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		cells := make([]string, len(vals))
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			cells[i] = fmt.Sprint(v)
		}
		fmt.Println(strings.Join(cells, "\t"))
	}
	return rows.Err()
}

// lit quotes a path as an SQL string literal.
func lit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func fail(err error) {
	fmt.Fprintln(os.Stderr, "duckbench:", err)
	os.Exit(1)
}
