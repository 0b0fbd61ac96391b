//! The one choice of what to practise next, used by `nabla quiz` (with or
//! without `--lesson`) and by `z` in the tutor: due reviews first (most
//! overdue first), then past mistakes (most first), then exercises never
//! tried, then the rest (soonest due first). Ties are broken by a seeded
//! shuffle, so the same inputs and seed give the same list.

use std::collections::HashSet;

use super::Progress;
use super::attempt::fnv1a;

/// How strongly an exercise's history says "practise me": wrong answers,
/// plus a giving-up. Zero for an exercise never missed.
pub fn mistake_weight(progress: &Progress, id: &str) -> u64 {
    let Some(e) = progress.exercises.get(id) else {
        return 0;
    };
    u64::from(e.attempts.saturating_sub(e.correct)) + u64::from(e.gave_up)
}

/// Picks `count` exercises from `candidates` (full ids, repeats ignored) in
/// the order above.
pub fn pick_quiz(
    progress: &Progress,
    candidates: &[String],
    count: usize,
    now: i64,
    seed: u64,
) -> Vec<String> {
    let mut seen = HashSet::new();
    // (group, key within the group, shuffle): sorted, then taken in order.
    let mut ranked: Vec<(u8, i64, u64, &String)> = Vec::new();
    for id in candidates.iter().filter(|id| seen.insert(id.as_str())) {
        let shuffle = mix(seed ^ fnv1a(id.as_bytes()));
        let entry = progress.exercises.get(id.as_str());
        let card = entry.and_then(|e| e.card.as_ref()).filter(|c| !c.is_new());
        let tried = entry.is_some_and(|e| e.attempts > 0 || e.gave_up) || card.is_some();
        let weight = mistake_weight(progress, id);
        let rank = match card {
            Some(c) if c.due <= now => (0, c.due),
            _ if weight > 0 => (1, -i64::try_from(weight).unwrap_or(i64::MAX)),
            _ if !tried => (2, 0),
            _ => (3, card.map_or(i64::MAX, |c| c.due)),
        };
        ranked.push((rank.0, rank.1, shuffle, id));
    }
    ranked.sort();
    ranked
        .into_iter()
        .take(count)
        .map(|(_, _, _, id)| id.clone())
        .collect()
}

/// SplitMix64's finaliser: spreads a seed's bits.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::super::Rating;
    use super::*;

    const T0: i64 = 1_700_000_000;

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn due_then_mistakes_then_new_then_the_rest() {
        let mut p = Progress::new();
        // Right first time, reviewed Good: due days from now.
        p.record_answer("l/fine", 1, true, true, None, 0, T0);
        p.review("l/fine", Rating::Good, T0);
        // Wrong twice, then right: a past mistake, not due yet.
        p.record_answer("l/missed", 1, false, false, Some("sign"), 0, T0);
        p.record_answer("l/missed", 1, false, false, Some("sign"), 0, T0);
        p.record_answer("l/missed", 1, true, true, None, 0, T0);
        p.review("l/missed", Rating::Hard, T0);
        // Wrong once: a lesser mistake.
        p.record_answer("l/once", 1, false, false, Some("transpose"), 0, T0);
        // Given up: due again within minutes.
        p.record_gave_up("l/lapsed");
        p.review("l/lapsed", Rating::Again, T0);
        let all = ids(&["l/new", "l/fine", "l/once", "l/missed", "l/lapsed", "l/new"]);
        // A minute on: the lapse is due, the Hard and Good reviews are not yet.
        let now = T0 + 60;
        assert_eq!(
            pick_quiz(&p, &all, 10, now, 7),
            ids(&["l/lapsed", "l/missed", "l/once", "l/new", "l/fine"])
        );
        assert_eq!(
            pick_quiz(&p, &all, 2, now, 7),
            ids(&["l/lapsed", "l/missed"])
        );
        // Same seed, same list; new exercises are shuffled by the seed.
        let fresh = Progress::new();
        let many: Vec<String> = (0..20).map(|i| format!("l/e{i}")).collect();
        assert_eq!(
            pick_quiz(&fresh, &many, 20, now, 1),
            pick_quiz(&fresh, &many, 20, now, 1)
        );
        assert_ne!(
            pick_quiz(&fresh, &many, 20, now, 1),
            pick_quiz(&fresh, &many, 20, now, 2)
        );
    }
}
