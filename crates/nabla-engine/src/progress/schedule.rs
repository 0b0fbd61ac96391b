//! Review scheduling: the FSRS card kept per exercise (scheduled by the
//! `rs-fsrs` crate with its default FSRS parameters, short-term learning steps
//! on, fuzz off so the schedule is deterministic) and the rating a go at an
//! exercise earns, step by step for a multi-step one. The choice of
//! exercises for a quiz is `pick`.
//!
//! Times are unix seconds throughout; `chrono` appears only at the boundary
//! with `rs-fsrs`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How a go at an exercise went, as FSRS hears it. Ordered worst first, so
/// the rating of a go over several steps is the `min` of theirs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rating {
    /// Not solved: wrong, given up, or left.
    Again,
    /// Solved, but after hints or wrong tries.
    Hard,
    /// Solved at the first answer, without hints.
    Good,
}

impl Rating {
    /// The rating of a go at an exercise: right first time without hints is
    /// `Good`; right after hints or earlier wrong answers (`attempts_before`,
    /// counted within this go) is `Hard`; wrong is `Again`.
    pub fn from_outcome(correct: bool, attempts_before: u32, hints_used: u32) -> Rating {
        if !correct {
            Rating::Again
        } else if attempts_before == 0 && hints_used == 0 {
            Rating::Good
        } else {
            Rating::Hard
        }
    }

    /// The name it is logged under.
    pub fn code(self) -> &'static str {
        match self {
            Rating::Again => "again",
            Rating::Hard => "hard",
            Rating::Good => "good",
        }
    }

    /// The rating back from its name.
    pub fn from_code(code: &str) -> Option<Rating> {
        match code {
            "again" => Some(Rating::Again),
            "hard" => Some(Rating::Hard),
            "good" => Some(Rating::Good),
            _ => None,
        }
    }

    fn to_fsrs(self) -> rs_fsrs::Rating {
        match self {
            Rating::Again => rs_fsrs::Rating::Again,
            Rating::Hard => rs_fsrs::Rating::Hard,
            Rating::Good => rs_fsrs::Rating::Good,
        }
    }
}

/// The rating of a go at an exercise, built step by step: each step of a
/// backprop exercise is rated on its own wrong answers and its own hints
/// (a hint on step 5 counts against step 5 only), and the go is rated as its
/// worst step. A flawless solve is `Good` however many steps it has: summing
/// attempts over seven steps used to make one look like "needed hints".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StepRatings {
    worst: Option<Rating>,
}

impl StepRatings {
    /// A step (or a one-step exercise) answered right after `wrong_before`
    /// wrong answers to it, with `hints` hints revealed while on it.
    pub fn step_solved(&mut self, wrong_before: u32, hints: u32) {
        let r = Rating::from_outcome(true, wrong_before, hints);
        self.worst = Some(self.worst.map_or(r, |w| w.min(r)));
    }

    /// The answer was shown before the go was solved (after the misses an
    /// exercise allows): solving it then is recall failed, as when given up.
    pub fn answer_seen(&mut self) {
        self.worst = Some(Rating::Again);
    }

    /// The go's rating once solved: the worst step's, `Good` when every step
    /// was right first time without hints (and when no step was rated yet).
    pub fn rating(&self) -> Rating {
        self.worst.unwrap_or(Rating::Good)
    }
}

/// Where a card is in FSRS's cycle.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CardState {
    #[default]
    New,
    Learning,
    Review,
    Relearning,
}

/// The FSRS memory state of one exercise, in a form the progress file keeps.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Card {
    /// When the next review is due (unix seconds).
    pub due: i64,
    /// Days for recall probability to fall to 90%.
    pub stability: f64,
    /// 1 (easy) to 10 (hard).
    pub difficulty: f64,
    pub elapsed_days: i64,
    pub scheduled_days: i64,
    pub reps: u32,
    pub lapses: u32,
    pub state: CardState,
    /// The last review (unix seconds).
    pub last_review: i64,
}

impl Card {
    /// The card after a review with `rating` at `now`. A card in a state FSRS
    /// cannot work from (a hand-edited file, a clock that went backwards) is
    /// scheduled as if new rather than producing nonsense.
    pub fn reviewed(&self, rating: Rating, now: i64) -> Card {
        let start = if self.is_sound() {
            self.clone()
        } else {
            Card::default()
        };
        // FSRS measures elapsed time from the last review; never let it be negative.
        let at = now.max(start.last_review);
        let fsrs = rs_fsrs::FSRS::new(rs_fsrs::Parameters {
            enable_fuzz: false,
            ..rs_fsrs::Parameters::default()
        });
        let next = fsrs.next(start.to_fsrs(), time(at), rating.to_fsrs()).card;
        let card = Card::from_fsrs(&next);
        if card.is_sound() {
            card
        } else {
            // Should not happen; a review is still owed soon rather than never.
            Card {
                due: at + 600,
                last_review: at,
                state: CardState::Learning,
                stability: 1.0,
                difficulty: 5.0,
                reps: start.reps.saturating_add(1),
                ..Card::default()
            }
        }
    }

    /// Whether the card has ever been reviewed.
    pub fn is_new(&self) -> bool {
        self.state == CardState::New
    }

    fn is_sound(&self) -> bool {
        let finite = self.stability.is_finite() && self.difficulty.is_finite();
        finite
            && (self.state == CardState::New
                || (self.stability > 0.0 && (1.0..=10.0).contains(&self.difficulty)))
            && time_opt(self.due).is_some()
            && time_opt(self.last_review).is_some()
    }

    fn to_fsrs(&self) -> rs_fsrs::Card {
        rs_fsrs::Card {
            due: time(self.due),
            stability: self.stability,
            difficulty: self.difficulty,
            elapsed_days: self.elapsed_days,
            scheduled_days: self.scheduled_days,
            reps: i32::try_from(self.reps).unwrap_or(i32::MAX),
            lapses: i32::try_from(self.lapses).unwrap_or(i32::MAX),
            state: match self.state {
                CardState::New => rs_fsrs::State::New,
                CardState::Learning => rs_fsrs::State::Learning,
                CardState::Review => rs_fsrs::State::Review,
                CardState::Relearning => rs_fsrs::State::Relearning,
            },
            last_review: time(self.last_review),
        }
    }

    fn from_fsrs(c: &rs_fsrs::Card) -> Card {
        Card {
            due: c.due.timestamp(),
            stability: round6(c.stability),
            difficulty: round6(c.difficulty),
            elapsed_days: c.elapsed_days,
            scheduled_days: c.scheduled_days,
            reps: u32::try_from(c.reps).unwrap_or(0),
            lapses: u32::try_from(c.lapses).unwrap_or(0),
            state: match c.state {
                rs_fsrs::State::New => CardState::New,
                rs_fsrs::State::Learning => CardState::Learning,
                rs_fsrs::State::Review => CardState::Review,
                rs_fsrs::State::Relearning => CardState::Relearning,
            },
            last_review: c.last_review.timestamp(),
        }
    }
}

/// Six decimals are plenty for FSRS, keep the file readable, and make the
/// value read back from JSON bit for bit.
fn round6(x: f64) -> f64 {
    if x.is_finite() && x.abs() < 1e9 {
        (x * 1e6).round() / 1e6
    } else {
        x
    }
}

fn time_opt(secs: i64) -> Option<DateTime<Utc>> {
    DateTime::<Utc>::from_timestamp(secs, 0)
}

fn time(secs: i64) -> DateTime<Utc> {
    time_opt(secs).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_700_000_000;
    const DAY: i64 = 86_400;

    #[test]
    fn rating_from_outcome() {
        assert_eq!(Rating::from_outcome(true, 0, 0), Rating::Good);
        assert_eq!(Rating::from_outcome(true, 0, 1), Rating::Hard);
        assert_eq!(Rating::from_outcome(true, 2, 0), Rating::Hard);
        assert_eq!(Rating::from_outcome(false, 0, 0), Rating::Again);
        assert_eq!(Rating::from_outcome(false, 3, 2), Rating::Again);
    }

    #[test]
    fn a_new_card_is_due_sooner_after_again_than_after_good() {
        let new = Card::default();
        let again = new.reviewed(Rating::Again, T0);
        let hard = new.reviewed(Rating::Hard, T0);
        let good = new.reviewed(Rating::Good, T0);
        assert!(
            again.due < hard.due && hard.due < good.due,
            "{again:?} {hard:?} {good:?}"
        );
        assert!(again.due > T0);
        assert_eq!(good.reps, 1);
        assert_eq!(good.last_review, T0);
        assert_ne!(good.state, CardState::New);
    }

    #[test]
    fn good_reviews_push_the_interval_out() {
        let mut card = Card::default();
        let mut now = T0;
        let mut last_gap = 0;
        for _ in 0..5 {
            card = card.reviewed(Rating::Good, now);
            let gap = card.due - now;
            assert!(gap >= last_gap, "gap {gap} after {last_gap}");
            last_gap = gap;
            now = card.due;
        }
        assert!(last_gap > 3 * DAY, "after five good reviews: {card:?}");
        assert_eq!(card.state, CardState::Review);
        // A lapse brings it back within the day.
        let lapsed = card.reviewed(Rating::Again, now);
        assert!(lapsed.due - now < DAY);
        assert_eq!(lapsed.lapses, 1);
    }

    #[test]
    fn nonsense_cards_and_backwards_clocks_are_survived() {
        let bad = Card {
            stability: f64::NAN,
            difficulty: 99.0,
            state: CardState::Review,
            ..Card::default()
        };
        let c = bad.reviewed(Rating::Good, T0);
        assert!(c.stability.is_finite() && c.due > T0);
        let c2 = c.reviewed(Rating::Good, T0 - 10 * DAY);
        assert!(c2.stability.is_finite() && c2.due >= c.last_review);
    }

    #[test]
    fn rounded_floats_survive_json() {
        let c = Card::default()
            .reviewed(Rating::Hard, T0)
            .reviewed(Rating::Good, T0 + DAY);
        let back: Card = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        assert_eq!(back, c);
    }

    #[test]
    fn a_go_is_rated_by_its_worst_step() {
        let mut flawless = StepRatings::default();
        for _ in 0..7 {
            flawless.step_solved(0, 0);
        }
        assert_eq!(flawless.rating(), Rating::Good, "seven clean steps");
        let mut hinted = StepRatings::default();
        for step in 0..7 {
            hinted.step_solved(0, u32::from(step == 4));
        }
        assert_eq!(hinted.rating(), Rating::Hard, "a hint on step 5");
        let mut retried = StepRatings::default();
        retried.step_solved(2, 0);
        retried.step_solved(0, 0);
        assert_eq!(retried.rating(), Rating::Hard);
        for r in [Rating::Again, Rating::Hard, Rating::Good] {
            assert_eq!(Rating::from_code(r.code()), Some(r));
        }
    }
}
