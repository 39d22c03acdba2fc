#!/usr/bin/env python3
"""Convert data/monitor/deep_dive_hs6_monthly.csv (China's exports by partner,
HS6 and month, a derived table of UN Comtrade data; data/SOURCES.md) into the
Comtrade Plus CSV layout `mineralpact monitor scan` reads:
period (YYYYMM), reporterISO (CHN), partnerISO (ISO alpha-3 of the partner
name), flowCode (X), cmdCode (the HS6 line), primaryValue (val, USD FOB) and
netWgt (qty, kg; empty where the table has 0, i.e. no weight reported).

    python3 scripts/monitor-china-comtrade.py > data/monitor/china-exports-comtrade.csv
"""
import csv
import sys

ISO3 = {
    "Australia": "AUS", "Austria": "AUT", "Belgium": "BEL", "Brazil": "BRA", "Canada": "CAN",
    "Czech Republic": "CZE", "Egypt": "EGY", "France": "FRA", "Germany": "DEU", "Hong Kong": "HKG",
    "Hungary": "HUN", "India": "IND", "Indonesia": "IDN", "Iran": "IRN", "Italy": "ITA", "Japan": "JPN",
    "Kazakhstan": "KAZ", "Malaysia": "MYS", "Mexico": "MEX", "Mozambique": "MOZ", "Netherlands": "NLD",
    "New Zealand": "NZL", "Philippines": "PHL", "Poland": "POL", "Russia": "RUS", "Singapore": "SGP",
    "Slovakia": "SVK", "South Africa": "ZAF", "South Korea": "KOR", "Spain": "ESP", "Sweden": "SWE",
    "Taiwan": "S19", "Tanzania": "TZA", "Thailand": "THA", "Turkey": "TUR", "UAE": "ARE",
    "United Kingdom": "GBR", "USA": "USA", "Vietnam": "VNM",
}

def main():
    src = "data/monitor/deep_dive_hs6_monthly.csv"
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["period", "reporterISO", "partnerISO", "partnerDesc", "flowCode", "cmdCode", "primaryValue", "netWgt"])
    rows = []
    with open(src, newline="") as f:
        for r in csv.DictReader(f):
            y, m = r["period_dt"][:4], r["period_dt"][5:7]
            qty = float(r["qty"])
            val = float(r["val"])
            rows.append((y + m, ISO3[r["partner_name"]], r["partner_name"], r["hs6"],
                         "%.0f" % val if val == int(val) else repr(val),
                         "" if qty == 0 else ("%.3f" % qty).rstrip("0").rstrip(".")))
    rows.sort()
    for p, iso, name, hs, val, qty in rows:
        w.writerow([p, "CHN", iso, name, "X", hs, val, qty])

if __name__ == "__main__":
    main()
