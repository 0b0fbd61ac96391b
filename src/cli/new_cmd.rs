//! `nabla new lesson NAME`: writes a commented lesson skeleton that lints clean.

use std::process::ExitCode;

use nabla_engine::lesson::skeleton;

use super::args::{NewArgs, NewWhat};
use super::output::{BAD_INPUT, OK, exit};

pub fn run(args: &NewArgs) -> ExitCode {
    let NewWhat::Lesson { name, dir } = &args.what;
    let text = match skeleton::lesson(name) {
        Ok(t) => t,
        Err(m) => {
            tell!("nabla: {m}");
            return exit(BAD_INPUT);
        }
    };
    let folder = dir.clone().unwrap_or_default();
    if !folder.as_os_str().is_empty()
        && let Err(e) = std::fs::create_dir_all(&folder)
    {
        tell!("nabla: cannot create {}: {e}", folder.display());
        return exit(BAD_INPUT);
    }
    let path = folder.join(format!("{name}.toml"));
    // create_new: never overwrite an instructor's work.
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
    match written {
        Ok(()) => {
            say!(
                "wrote {}: edit it, then check it with `nabla lint {}`",
                path.display(),
                path.display()
            );
            exit(OK)
        }
        Err(e) => {
            tell!("nabla: cannot write {}: {e}", path.display());
            exit(BAD_INPUT)
        }
    }
}
