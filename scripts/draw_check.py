#!/usr/bin/env python3
"""Independent re-implementation of the anjian-draw-v1 algorithm (see
crates/anjian-domain/src/draw/mod.rs), so a draw can be checked without the program; with
`weights` in the inputs, the draw weighted by risk grade.

Usage: draw_check.py INPUTS.json SECRET ENTROPY   (INPUTS.json: the draw's published inputs)
Prints the tasks as JSON lines: stratum, enterprise_id, inspectors.
"""
import hashlib, json, sys


def seed(secret, entropy):
    return hashlib.sha256(b"anjian-draw-v1|" + secret.encode() + b"|" + entropy.encode()).digest()


class Stream:
    def __init__(self, seed):
        self.seed, self.k = seed, 0

    def next(self):
        d = hashlib.sha256(self.seed + self.k.to_bytes(8, "big")).digest()
        self.k += 1
        return int.from_bytes(d[:8], "big")

    def uniform(self, n):
        limit = 2**64 - (2**64 % n)
        while True:
            v = self.next()
            if v < limit:
                return v % n


def run(inputs, s):
    st = Stream(s)
    conflicts = {tuple(c) for c in inputs["conflicts"]}
    drawn = []
    for stratum in inputs["strata"]:
        pool = sorted(set(stratum["pool"]))
        w = inputs.get("weights")
        if w is None:
            for i in range(stratum["quota"]):
                j = i + st.uniform(len(pool) - i)
                pool[i], pool[j] = pool[j], pool[i]
        else:
            # Weighted by risk grade: sampling without replacement by weight.
            grades = w["grades"]
            weights = [w["table"][grades[str(e)]] if str(e) in grades else w["ungraded"] for e in pool]
            for i in range(stratum["quota"]):
                r = st.uniform(sum(weights[i:]))
                acc, j = 0, i
                for k in range(i, len(pool)):
                    acc += weights[k]
                    if r < acc:
                        j = k
                        break
                pool[i], pool[j] = pool[j], pool[i]
                weights[i], weights[j] = weights[j], weights[i]
        drawn += [(stratum["name"], e) for e in pool[: stratum["quota"]]]
    load, tasks = {}, []
    roster = sorted(set(inputs["inspectors"]))
    for name, e in drawn:
        el = [i for i in roster if (i, e) not in conflicts]
        for i in range(len(el) - 1):
            j = i + st.uniform(len(el) - i)
            el[i], el[j] = el[j], el[i]
        el.sort(key=lambda i: load.get(i, 0))  # stable, like Rust's sort_by_key
        team = el[: inputs["team_size"]]
        for i in team:
            load[i] = load.get(i, 0) + 1
        tasks.append({"stratum": name, "enterprise_id": e, "inspectors": sorted(team)})
    return tasks


if __name__ == "__main__":
    inputs = json.load(open(sys.argv[1], encoding="utf-8"))
    for t in run(inputs, seed(sys.argv[2], sys.argv[3])):
        print(json.dumps(t, ensure_ascii=False))
