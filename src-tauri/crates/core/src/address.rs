//! The platform's address, checked before any request is made: `https://` to anywhere, plain
//! `http://` only to this machine (127.0.0.0/8, `::1`, `localhost`), where nothing crosses a
//! network. Pure: parsed here, used by the sync client, the app, the CLI and the snapshot
//! import alike. Over plain http on a LAN the password, the tokens, the roster with its ID numbers and
//! the evidence would travel in clear.

use std::fmt;
use std::net::IpAddr;
use thiserror::Error;
use url::Url;

/// The longest address accepted (a base URL, not a document).
const MAX_LEN: usize = 200;

/// A platform address that passed [`PlatformAddress::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformAddress {
    /// Scheme, host, port and base path, with no trailing slash.
    base: String,
}

#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum AddressError {
    #[error("the platform address is not an address like https://platform.example.cn: {0}")]
    Malformed(&'static str),
    #[error(
        "plain http is allowed only to this computer (127.0.0.1, ::1, localhost): \
         type https://{host_and_rest} instead, so the password and the data are encrypted"
    )]
    PlainHttpElsewhere { host_and_rest: String },
}

impl AddressError {
    /// The same, in Chinese for the app.
    pub fn message_zh(&self) -> String {
        match self {
            AddressError::Malformed(_) => {
                "平台地址格式不正确，应形如 https://平台域名 或 http://127.0.0.1:8787".to_owned()
            }
            AddressError::PlainHttpElsewhere { host_and_rest } => format!(
                "为保护密码和人员信息，除本机（127.0.0.1、localhost）外平台地址必须以 https:// 开头，\
                 请改填 https://{host_and_rest}"
            ),
        }
    }
}

fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

impl PlatformAddress {
    pub fn parse(text: &str) -> Result<PlatformAddress, AddressError> {
        let text = text.trim();
        if text.len() > MAX_LEN {
            return Err(AddressError::Malformed("longer than 200 characters"));
        }
        if text.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(AddressError::Malformed(
                "contains spaces or control characters",
            ));
        }
        let url =
            Url::parse(text).map_err(|_| AddressError::Malformed("cannot be read as a URL"))?;
        if url.host_str().is_none_or(str::is_empty) {
            return Err(AddressError::Malformed("has no host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(AddressError::Malformed(
                "must not carry a user name or password",
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(AddressError::Malformed(
                "must not carry a query or a fragment",
            ));
        }
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => {
                let rest = &url.as_str()["http://".len()..];
                return Err(AddressError::PlainHttpElsewhere {
                    host_and_rest: rest.trim_end_matches('/').to_owned(),
                });
            }
            _ => return Err(AddressError::Malformed("must start with https://")),
        }
        Ok(PlatformAddress {
            base: url.as_str().trim_end_matches('/').to_owned(),
        })
    }

    /// The base every API path is appended to.
    pub fn as_str(&self) -> &str {
        &self.base
    }
}

impl fmt::Display for PlatformAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_plain_http_only_on_loopback() {
        for ok in [
            "https://zj.example.cn",
            "https://zj.example.cn/api/",
            "https://10.2.3.4:8443",
            "http://127.0.0.1:8787",
            "http://127.9.9.9",
            "http://localhost:8787/",
            "http://LOCALHOST",
            "http://[::1]:8787",
        ] {
            assert!(PlatformAddress::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            PlatformAddress::parse("https://zj.example.cn/api/")
                .unwrap()
                .as_str(),
            "https://zj.example.cn/api"
        );
        for remote in [
            "http://192.168.1.10:8787",
            "http://10.0.0.1",
            "http://zj.example.cn",
            "http://localhost.example.cn",
            "http://[::ffff:192.168.1.1]",
            "http://0.0.0.0:8787",
        ] {
            assert!(
                matches!(
                    PlatformAddress::parse(remote),
                    Err(AddressError::PlainHttpElsewhere { .. })
                ),
                "{remote}"
            );
        }
        let e = PlatformAddress::parse("http://192.168.1.10:8787").unwrap_err();
        assert!(e.to_string().contains("https://192.168.1.10:8787"), "{e}");
        assert!(e.message_zh().contains("https://192.168.1.10:8787"));
        for bad in [
            "",
            "127.0.0.1:8787",
            "file:///etc/passwd",
            "ftp://x.cn",
            "javascript:alert(1)",
            "https://",
            "https://user:pw@zj.example.cn",
            "https://zj.example.cn/?token=1",
            "https://zj.example.cn/#x",
            "https://zj example.cn",
            &format!("https://{}.cn", "a".repeat(200)),
        ] {
            assert!(
                matches!(PlatformAddress::parse(bad), Err(AddressError::Malformed(_))),
                "{bad}"
            );
        }
    }
}
