//! The draw itself: the seeded stream (step 3), the objects per stratum (step 4) and the
//! teams (step 5).

use super::*;

struct Stream {
    seed: [u8; 32],
    k: u64,
}

impl Stream {
    fn next_u64(&mut self) -> u64 {
        let mut h = Sha256::new();
        h.update(self.seed);
        h.update(self.k.to_be_bytes());
        self.k += 1;
        let d = h.finalize();
        let mut b = [0u8; 8];
        b.copy_from_slice(&d[..8]);
        u64::from_be_bytes(b)
    }

    /// Uniform in 0..n (n > 0), by rejection.
    fn uniform(&mut self, n: usize) -> usize {
        let n64 = n as u64;
        let zone = u64::MAX - (u64::MAX % n64 + 1) % n64;
        loop {
            let v = self.next_u64();
            if v <= zone {
                return (v % n64) as usize;
            }
        }
    }
}

/// Runs the draw. `inputs` should be canonical (see [`DrawInputs::canonical`]).
pub fn run(inputs: &DrawInputs, seed: [u8; 32]) -> Result<Vec<DrawTask>, DrawError> {
    if inputs.team_size < 2 {
        return Err(DrawError::TeamTooSmall);
    }
    let mut seen = BTreeSet::new();
    for s in &inputs.strata {
        if s.quota > s.pool.len() {
            return Err(DrawError::QuotaTooLarge(s.name.clone(), s.pool.len()));
        }
        for e in &s.pool {
            if !seen.insert(*e) {
                return Err(DrawError::Overlap(*e));
            }
        }
    }
    let conflicts: BTreeSet<(i64, i64)> = inputs.conflicts.iter().copied().collect();
    let mut stream = Stream { seed, k: 0 };
    let mut drawn = Vec::new();
    for s in &inputs.strata {
        let mut pool = s.pool.clone();
        let len = pool.len();
        match &inputs.weights {
            None => {
                for i in 0..s.quota {
                    let j = i + stream.uniform(len - i);
                    pool.swap(i, j);
                }
            }
            Some(w) => weighted(&mut pool, s.quota, w, &mut stream)?,
        }
        drawn.extend(pool.into_iter().take(s.quota).map(|e| (s.name.clone(), e)));
    }
    let mut load: BTreeMap<i64, usize> = BTreeMap::new();
    let mut tasks = Vec::with_capacity(drawn.len());
    for (stratum, e) in drawn {
        let mut eligible: Vec<i64> = inputs
            .inspectors
            .iter()
            .copied()
            .filter(|i| !conflicts.contains(&(*i, e)))
            .collect();
        if eligible.len() < inputs.team_size {
            return Err(DrawError::NotEnoughInspectors(e, inputs.team_size));
        }
        let n = eligible.len();
        for i in 0..n.saturating_sub(1) {
            let j = i + stream.uniform(n - i);
            eligible.swap(i, j);
        }
        eligible.sort_by_key(|i| load.get(i).copied().unwrap_or(0));
        let mut team: Vec<i64> = eligible.into_iter().take(inputs.team_size).collect();
        for i in &team {
            *load.entry(*i).or_insert(0) += 1;
        }
        team.sort_unstable();
        tasks.push(DrawTask {
            stratum,
            enterprise_id: e,
            inspectors: team,
        });
    }
    Ok(tasks)
}

/// Step 4 weighted: sampling without replacement by weight (see the module comment).
fn weighted(
    pool: &mut [i64],
    quota: usize,
    w: &DrawWeights,
    stream: &mut Stream,
) -> Result<(), DrawError> {
    let mut weights: Vec<u64> = Vec::with_capacity(pool.len());
    for e in pool.iter() {
        let x = w.weight_of(*e);
        if x == 0 {
            return Err(DrawError::ZeroWeight(*e));
        }
        weights.push(u64::from(x));
    }
    for i in 0..quota {
        let total: u64 = weights[i..].iter().sum();
        let r = stream.uniform(total as usize) as u64;
        let mut acc = 0u64;
        let mut j = i;
        for (k, x) in weights.iter().enumerate().skip(i) {
            acc += x;
            if r < acc {
                j = k;
                break;
            }
        }
        pool.swap(i, j);
        weights.swap(i, j);
    }
    Ok(())
}
