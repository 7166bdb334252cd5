//! What the benchmarks share: each measured side runs in a child process of the benchmark
//! binary (so its peak memory is its own) and reports "seconds peak_MiB" on stdout.

use std::path::Path;
use std::process::Command;

/// In the child: runs the timed job and prints its seconds and the process's peak memory.
pub fn child(job: impl FnOnce() -> f64) {
    let seconds = job();
    println!("{seconds} {}", peak_mib());
}

/// The peak resident memory of this process (VmHWM), in MiB.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

/// In the parent: runs this binary with `mode` and two paths; returns (seconds, peak MiB).
pub fn run_child(mode: &str, first: &Path, second: &Path) -> (f64, f64) {
    let me = std::env::current_exe().expect("own path");
    let output = Command::new(me)
        .arg(mode)
        .arg(first)
        .arg(second)
        .output()
        .expect("child runs");
    assert!(
        output.status.success(),
        "{mode} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let mut numbers = text.split_whitespace().map(|n| n.parse::<f64>().unwrap());
    (numbers.next().unwrap(), numbers.next().unwrap())
}

/// Runs both sides `rounds` times, alternating (the machine is shared), and keeps the best
/// time and the highest peak of each.
pub fn best_of(
    rounds: usize,
    mut ours: impl FnMut(usize) -> (f64, f64),
    mut reference: impl FnMut(usize) -> (f64, f64),
) -> ((f64, f64), (f64, f64)) {
    let mut a = (f64::MAX, 0.0f64);
    let mut b = (f64::MAX, 0.0f64);
    for round in 0..rounds {
        let (t, m) = ours(round);
        a = (a.0.min(t), a.1.max(m));
        let (t, m) = reference(round);
        b = (b.0.min(t), b.1.max(m));
    }
    (a, b)
}
