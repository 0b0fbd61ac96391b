//! Whether the tutor's terminal is still there. A closed terminal window or
//! a killed tmux session hangs up the terminal: reads then return nothing
//! at once, forever, and crossterm's reader loops on them without end (at
//! full CPU, deaf to SIGTERM, which it never gets back to look at). So the
//! event loop waits on the terminal with `poll(2)` itself, and ends (saving,
//! as on SIGHUP) when the terminal has hung up.

use std::time::Duration;

/// What waiting on the terminal found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tty {
    /// Input is waiting, the time is up, or a signal came (a resize, say):
    /// ask crossterm (without waiting) for an event.
    Check,
    /// The terminal hung up or is no longer a terminal.
    Gone,
}

/// Waits up to `wait` for input on the terminal the tutor reads (standard
/// input, or `/dev/tty` when that is not a terminal, as crossterm does).
#[cfg(unix)]
pub fn wait(wait: Duration) -> Tty {
    use std::io::IsTerminal;
    use std::os::fd::AsRawFd;
    // crossterm reads standard input when it is a terminal, otherwise
    // /dev/tty; keep the file open for as long as the poll.
    let tty_file;
    let fd = if std::io::stdin().is_terminal() {
        std::io::stdin().as_raw_fd()
    } else {
        match std::fs::File::open("/dev/tty") {
            Ok(f) => {
                tty_file = f;
                tty_file.as_raw_fd()
            }
            Err(_) => return Tty::Gone,
        }
    };
    let mut fds = [libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    }];
    let millis = libc::c_int::try_from(wait.as_millis()).unwrap_or(libc::c_int::MAX);
    // SAFETY: `fds` is one valid pollfd for the length given, and lives
    // across the call.
    let n = unsafe { libc::poll(fds.as_mut_ptr(), 1, millis) };
    if n > 0 && fds[0].revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
        Tty::Gone
    } else {
        Tty::Check
    }
}

#[cfg(not(unix))]
pub fn wait(wait: Duration) -> Tty {
    // Elsewhere crossterm's own wait is used: give it the time.
    let _ = crossterm::event::poll(wait);
    Tty::Check
}
