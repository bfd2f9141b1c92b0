//! Exit codes scripts can rely on, and the message a person reads.

use std::process::ExitCode;

use assetkit::Error;

/// What the process exits with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// Everything worked.
    Ok = 0,
    /// Some files or requests failed (see the output); the rest worked.
    Failed = 1,
    // 2 is clap's: the command line was wrong.
    /// Credentials are missing, wrong or lack a permission.
    Auth = 3,
    /// The input was refused before sending: a bad file, name, size or format.
    Input = 4,
    /// The service was unavailable or kept rate-limiting after retries.
    Unavailable = 5,
    /// The vendor refused the content itself (moderation, a failed operation).
    Rejected = 6,
    /// Stopped by Ctrl-C or SIGTERM (the shell's 128 + SIGINT).
    Interrupted = 130,
}

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
            | Error::Timeout { .. } => Exit::Unavailable,
            Error::OperationFailed { .. } | Error::Rejected(_) | Error::Unprocessable(_) => Exit::Rejected,
            Error::PartialFailure { source, .. } => Exit::of(source),
            _ => Exit::Failed,
        }
    }
}

/// A hint telling a person what to do about an error.
pub(crate) fn hint(error: &Error) -> Option<&'static str> {
    Some(match Exit::of(error) {
        Exit::Auth => "check the API key or token in the environment, and that it has the asset scopes",
        Exit::Unavailable => {
            "the service is busy or down; run the same command again later (finished files are skipped)"
        }
        Exit::Input => "fix the file or argument named above; nothing was sent for it",
        Exit::Rejected => "the vendor refused this content; see its message above",
        _ => return None,
    })
}
