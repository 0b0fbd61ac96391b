//! Stopping work nobody waits for any more. A front end that runs a grading
//! on another thread (the tutor, when Esc gives up on a slow one) holds a
//! [`Cancel`] and runs the work inside [`Cancel::scope`]; the engine looks at
//! the flag between instance draws and between trials, and a cancelled
//! grading ends there with an error saying so.
//!
//! The flag is scoped to the thread rather than passed as a parameter: a
//! grading reaches the draws through many paths (trials, diagnoses, a
//! lesson's authored mistakes, backprop steps, computed exercises), and each
//! would otherwise carry it. Outside a scope nothing is ever cancelled, so
//! every other caller (`check`, `lint`, Python) is unaffected.
//!
//! A check costs one relaxed atomic load; one trial or draw is the unit of
//! work, so a cancelled grading stops within one evaluation of F (bounded by
//! the cost budget), not at once.

use std::cell::RefCell;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// What a cancelled grading returns in place of a verdict.
pub const CANCELLED: &str = "the grading was cancelled";

/// A flag shared between the thread doing the work and the one that may
/// give up on it.
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

thread_local! {
    static CURRENT: RefCell<Option<Cancel>> = const { RefCell::new(None) };
}

impl Cancel {
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Asks the work running under this flag to stop at its next check.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// Runs `work` on this thread with this flag as the one the engine looks
    /// at; the previous flag (if any) is back in place afterwards, even if
    /// `work` panics.
    pub fn scope<T>(&self, work: impl FnOnce() -> T) -> T {
        struct Restore(Option<Cancel>);
        impl Drop for Restore {
            fn drop(&mut self) {
                let previous = self.0.take();
                CURRENT.with(|c| *c.borrow_mut() = previous);
            }
        }
        let previous = CURRENT.with(|c| c.borrow_mut().replace(self.clone()));
        let _restore = Restore(previous);
        work()
    }
}

/// Whether the work on this thread has been cancelled.
pub(crate) fn requested() -> bool {
    CURRENT.with(|c| c.borrow().as_ref().is_some_and(Cancel::is_cancelled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_work_inside_a_cancelled_scope_sees_the_flag() {
        let flag = Cancel::new();
        assert!(!requested());
        flag.scope(|| assert!(!requested()));
        flag.cancel();
        flag.scope(|| assert!(requested()));
        assert!(!requested(), "the scope ended with its work");
        let other = Cancel::new();
        flag.scope(|| other.scope(|| assert!(!requested())));
    }

    #[test]
    fn a_panic_inside_the_scope_still_ends_it() {
        let flag = Cancel::new();
        flag.cancel();
        let r = std::panic::catch_unwind(|| flag.scope(|| panic!("boom")));
        assert!(r.is_err());
        assert!(!requested());
    }
}
