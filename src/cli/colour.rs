//! Whether to use colour, by the conventions other command-line tools
//! follow, one rule for the command line and the tutor alike:
//!
//! 1. `--color always` or `--color never` decides;
//! 2. otherwise `NO_COLOR` set to anything non-empty turns colour off
//!    (no-color.org);
//! 3. otherwise `CLICOLOR_FORCE` set (and not `0`) turns it on even when the
//!    output is not a terminal;
//! 4. otherwise `CLICOLOR=0` turns it off;
//! 5. otherwise colour exactly when the output is a terminal.
//!
//! Text nabla prints for scripts (results, JSON) never holds colour or any
//! escape code whatever this says: colour is only ever in clap's help and
//! usage messages and on the tutor's screen.

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    // (No doc comments on the variants: clap would turn them into a long
    // help for every command.)
    #[default]
    Auto,
    Always,
    Never,
}

/// Whether to colour output going to a terminal (`is_terminal`) or not,
/// with the environment read through `var`.
pub fn wanted_with(
    when: ColorWhen,
    is_terminal: bool,
    var: impl Fn(&str) -> Option<String>,
) -> bool {
    let set = |k: &str| var(k).is_some_and(|v| !v.is_empty());
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto if set("NO_COLOR") => false,
        ColorWhen::Auto
            if set("CLICOLOR_FORCE") && var("CLICOLOR_FORCE").as_deref() != Some("0") =>
        {
            true
        }
        ColorWhen::Auto if var("CLICOLOR").as_deref() == Some("0") => false,
        ColorWhen::Auto => is_terminal,
    }
}

/// [`wanted_with`] on the process environment.
pub fn wanted(when: ColorWhen, is_terminal: bool) -> bool {
    wanted_with(when, is_terminal, |k| {
        std::env::var_os(k).map(|v| v.to_string_lossy().into_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    #[test]
    fn the_flag_wins_then_no_color_then_clicolor_then_the_terminal() {
        use ColorWhen::*;
        assert!(wanted_with(Auto, true, with(&[])));
        assert!(!wanted_with(Auto, false, with(&[])));
        assert!(!wanted_with(Auto, true, with(&[("NO_COLOR", "1")])));
        // An empty NO_COLOR does not count (no-color.org).
        assert!(wanted_with(Auto, true, with(&[("NO_COLOR", "")])));
        assert!(wanted_with(Auto, false, with(&[("CLICOLOR_FORCE", "1")])));
        assert!(!wanted_with(Auto, false, with(&[("CLICOLOR_FORCE", "0")])));
        assert!(!wanted_with(
            Auto,
            false,
            with(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")])
        ));
        assert!(!wanted_with(Auto, true, with(&[("CLICOLOR", "0")])));
        assert!(wanted_with(Always, false, with(&[("NO_COLOR", "1")])));
        assert!(!wanted_with(Never, true, with(&[("CLICOLOR_FORCE", "1")])));
    }
}
