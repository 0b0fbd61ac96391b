//! The signals that end a program from outside — SIGTERM, SIGHUP, SIGINT,
//! SIGQUIT, SIGXFSZ — caught while the tutor runs, so it can save and give
//! the terminal back (raw mode off, main screen, cursor shown) before it
//! ends. Without this, each of them left the terminal in raw mode on the
//! alternate screen. (Ctrl-C in the tutor is a key, not a signal: raw mode
//! turns the terminal's signal keys off.)
//!
//! The handler only records the signal; the event loop looks at it between
//! events (it waits for keys at most `POLL` at a time), and `tui::run` then
//! ends the way `q` does and finally lets the signal take its usual effect
//! (`emulate_default_handler`), so the exit status still says which signal
//! it was.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// How long the event loop waits for a key before it looks for a signal.
pub const POLL: Duration = Duration::from_millis(100);

#[cfg(unix)]
const CAUGHT: [i32; 5] = [
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGQUIT,
    signal_hook::consts::SIGXFSZ,
];

/// The signals caught, and the last one that arrived (0: none).
pub struct Signals {
    last: Arc<AtomicUsize>,
    #[cfg(unix)]
    ids: Vec<signal_hook::SigId>,
}

impl Signals {
    /// Starts catching the signals (until dropped).
    pub fn catch() -> io::Result<Signals> {
        let last = Arc::new(AtomicUsize::new(0));
        #[cfg(unix)]
        let ids = CAUGHT
            .iter()
            .map(|&s| signal_hook::flag::register_usize(s, Arc::clone(&last), s as usize))
            .collect::<io::Result<Vec<_>>>()?;
        Ok(Signals {
            last,
            #[cfg(unix)]
            ids,
        })
    }

    /// The signal that arrived, if one did.
    pub fn arrived(&self) -> Option<i32> {
        match self.last.load(Ordering::Relaxed) {
            0 => None,
            s => Some(s as i32),
        }
    }

    /// Stops catching, then gives `signal` its usual effect (for these, the
    /// end of the process).
    pub fn end_with(self, signal: i32) {
        drop(self);
        #[cfg(unix)]
        let _ = signal_hook::low_level::emulate_default_handler(signal);
        // A signal whose default is to be ignored (none of these) or a
        // platform without them: end as a killed process would.
        std::process::exit(128 + signal);
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        #[cfg(unix)]
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}
