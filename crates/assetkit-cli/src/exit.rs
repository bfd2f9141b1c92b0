//! Exit codes scripts can rely on, and the hint a person reads: one table drives both.

use std::process::ExitCode;

use assetkit::Error;

/// What the process exits with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// Everything worked.
    Ok = 0,
    /// Some files of a batch failed and the rest worked, or its files failed for
    /// different reasons (see the output), or what was asked for does not exist.
    Failed = 1,
    /// The command line or a setting was wrong or missing (clap's code for a bad command
    /// line, ours for a setting such as the project, site or creator).
    Usage = 2,
    /// Credentials are missing, wrong or lack a permission.
    Auth = 3,
    /// The input was refused before sending: a bad file, name, size or format.
    Input = 4,
    /// The network failed, or the service was unavailable or kept rate-limiting after
    /// retries.
    Unavailable = 5,
    /// The vendor refused the content itself (moderation, a failed operation).
    Rejected = 6,
    /// Stopped by Ctrl-C or SIGTERM (the shell's 128 + SIGINT).
    Interrupted = 130,
}

/// What a person can do about each code: `(code, hint, hint when a journal can resume)`.
/// `None` where the message itself says all there is.
const HINTS: &[(Exit, Option<&str>, Option<&str>)] = &[
    (Exit::Ok, None, None),
    (Exit::Failed, None, None),
    (
        Exit::Usage,
        Some("set the variable or pass the flag named above"),
        None,
    ),
    (
        Exit::Auth,
        Some("check the API key or token in the environment, and that it has the asset scopes"),
        None,
    ),
    (
        Exit::Input,
        Some("fix the file or argument named above; nothing was sent for it"),
        None,
    ),
    (
        Exit::Unavailable,
        Some("the service is busy or out of reach; run the same command again later"),
        Some(
            "the service is busy or out of reach; run the same command again later (with the same --journal, finished files are skipped)",
        ),
    ),
    (
        Exit::Rejected,
        Some("the vendor refused this content; see its message above"),
        None,
    ),
    (Exit::Interrupted, None, None),
];

impl Exit {
    pub(crate) fn code(self) -> ExitCode {
        ExitCode::from(self as u8)
    }

    /// The exit code for an error.
    pub(crate) fn of(error: &Error) -> Exit {
        if error.is_moderation() {
            return Exit::Rejected;
        }
        if error.is_not_found() {
            return Exit::Failed;
        }
        match error {
            Error::Unauthorized(_) | Error::Forbidden(_) => Exit::Auth,
            Error::InvalidRequest(_) | Error::Io { .. } => Exit::Input,
            Error::RateLimited { .. }
            | Error::Server(_)
            | Error::Transport { .. }
            | Error::Tls { .. }
            | Error::Timeout { .. } => Exit::Unavailable,
            Error::OperationFailed { .. } | Error::Rejected(_) | Error::Unprocessable(_) => Exit::Rejected,
            // The first step was let in, so the key and the input were good: a refusal of a
            // later step (a storage host's 403) is not the user's credentials.
            Error::PartialFailure { source, .. } => match Exit::of(source) {
                Exit::Auth | Exit::Input => Exit::Failed,
                other => other,
            },
            _ => Exit::Failed,
        }
    }

    /// The code for a batch whose files failed with `errors`: their common code when they
    /// all share one, else [`Exit::Failed`].
    pub(crate) fn of_all<'a>(errors: impl IntoIterator<Item = &'a Error>) -> Exit {
        let mut codes = errors.into_iter().map(Exit::of);
        let Some(first) = codes.next() else {
            return Exit::Ok;
        };
        if codes.all(|code| code == first) {
            first
        } else {
            Exit::Failed
        }
    }

    /// What a person can do about this code; `journal` says whether the command ran with
    /// a journal that lets a second run skip what is done.
    pub(crate) fn hint(self, journal: bool) -> Option<&'static str> {
        let &(_, plain, resumable) = HINTS.iter().find(|(code, ..)| *code == self)?;
        if journal { resumable.or(plain) } else { plain }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_row() {
        for code in [
            Exit::Ok,
            Exit::Failed,
            Exit::Usage,
            Exit::Auth,
            Exit::Input,
            Exit::Unavailable,
            Exit::Rejected,
            Exit::Interrupted,
        ] {
            assert_eq!(HINTS.iter().filter(|(c, ..)| *c == code).count(), 1, "{code:?}");
        }
    }

    #[test]
    fn the_journal_hint_only_where_it_helps() {
        assert!(!Exit::Unavailable.hint(false).unwrap().contains("journal"));
        assert!(Exit::Unavailable.hint(true).unwrap().contains("journal"));
        assert_eq!(Exit::Input.hint(true), Exit::Input.hint(false));
        assert_eq!(Exit::Failed.hint(true), None);
    }

    #[test]
    fn a_batch_takes_its_failures_common_code() {
        let input = Error::invalid("bad");
        let auth = Error::Unauthorized(Box::new(assetkit::ApiError::with_message(
            assetkit::roblox::VENDOR,
            401,
            "no",
        )));
        assert_eq!(Exit::of_all([&input, &input]), Exit::Input);
        assert_eq!(Exit::of_all([&input, &auth]), Exit::Failed);
        assert_eq!(Exit::of_all([]), Exit::Ok);
    }
}
