//! Randomness, injected like the clock: the operating system's in service, a seeded
//! stream for the deterministic demo (same seed → same password salts and draw secrets).

use sha2::{Digest, Sha256};
use std::sync::Mutex;

pub trait Entropy: Send + Sync {
    fn fill(&self, buf: &mut [u8]) -> Result<(), String>;
}

/// The operating system's randomness.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsEntropy;

impl Entropy for OsEntropy {
    fn fill(&self, buf: &mut [u8]) -> Result<(), String> {
        getrandom::fill(buf).map_err(|e| format!("getrandom: {e}"))
    }
}

/// A deterministic stream: SHA-256 of the seed and a block counter. Not for secrets that
/// must stay secret (demo data only).
#[derive(Debug)]
pub struct SeededEntropy {
    seed: u64,
    counter: Mutex<u64>,
}

impl SeededEntropy {
    pub fn new(seed: u64) -> Self {
        Self {
            seed,
            counter: Mutex::new(0),
        }
    }
}

impl Entropy for SeededEntropy {
    fn fill(&self, buf: &mut [u8]) -> Result<(), String> {
        let mut counter = self
            .counter
            .lock()
            .map_err(|_| "entropy lock".to_string())?;
        for chunk in buf.chunks_mut(32) {
            let block = Sha256::new()
                .chain_update(b"anjian-demo-entropy")
                .chain_update(self.seed.to_be_bytes())
                .chain_update(counter.to_be_bytes())
                .finalize();
            chunk.copy_from_slice(&block[..chunk.len()]);
            *counter += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_gives_the_same_stream_and_another_seed_another() {
        let (a, b, c) = (
            SeededEntropy::new(7),
            SeededEntropy::new(7),
            SeededEntropy::new(8),
        );
        let (mut x, mut y, mut z) = ([0u8; 48], [0u8; 48], [0u8; 48]);
        for (e, buf) in [(&a, &mut x), (&b, &mut y), (&c, &mut z)] {
            e.fill(buf).unwrap_or_default();
        }
        assert_eq!(x, y);
        assert_ne!(x, z);
        let mut next = [0u8; 16];
        a.fill(&mut next).unwrap_or_default();
        assert_ne!(&next[..], &x[..16], "the stream moves on");
    }
}
