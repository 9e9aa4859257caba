//! The Chinese TrueType fonts the certificates are set in, from the OS packages (WenQuanYi Zen
//! Hei, AR PL UKai and UMing): TrueType because a text PDF embeds a subset of the font, and the
//! OpenType CFF fonts (Noto CJK) do not subset into a PDF font as simply.

use std::path::Path;

/// A font file and the face within it.
pub struct Face {
    pub data: Vec<u8>,
    pub index: u32,
    pub name: &'static str,
}

/// 黑体 for titles and labels, 楷体 and 宋体 (明体) for body text.
pub struct Fonts {
    pub hei: Face,
    pub kai: Face,
    pub song: Face,
}

#[derive(Debug, thiserror::Error)]
#[error("font {0} not found (install fonts-wqy-zenhei, fonts-arphic-ukai and fonts-arphic-uming)")]
pub struct MissingFont(pub String);

/// Where the packages put them (also seen from Wine, whose Z: drive is the root).
const DIRS: [&str; 2] = ["/usr/share/fonts/truetype", "/usr/local/share/fonts"];

fn face(rel: &str, index: u32, name: &'static str) -> Result<Face, MissingFont> {
    // A Windows machine with the same fonts installed per user or system-wide.
    #[cfg(windows)]
    {
        let file = rel.rsplit('/').next().unwrap_or(rel);
        let mut roots: Vec<std::path::PathBuf> =
            vec![std::path::PathBuf::from(r"C:\Windows\Fonts")];
        if let Some(local) = std::env::var_os("LOCALAPPDATA") {
            roots.push(
                Path::new(&local)
                    .join("Microsoft")
                    .join("Windows")
                    .join("Fonts"),
            );
        }
        for root in roots {
            if let Ok(data) = std::fs::read(root.join(file)) {
                return Ok(Face { data, index, name });
            }
        }
    }
    for dir in DIRS {
        if let Ok(data) = std::fs::read(Path::new(dir).join(rel)) {
            return Ok(Face { data, index, name });
        }
    }
    Err(MissingFont(rel.into()))
}

impl Fonts {
    /// The fonts of Debian's packages. In AR PL's collections the simplified-Chinese face is the
    /// first.
    pub fn from_system() -> Result<Fonts, MissingFont> {
        Ok(Fonts {
            hei: face("wqy/wqy-zenhei.ttc", 0, "WenQuanYiZenHei")?,
            kai: face("arphic/ukai.ttc", 0, "ARPLUKaiCN")?,
            song: face("arphic/uming.ttc", 0, "ARPLUMingCN")?,
        })
    }

    pub fn get(&self, f: FontKind) -> &Face {
        match f {
            FontKind::Hei => &self.hei,
            FontKind::Kai => &self.kai,
            FontKind::Song => &self.song,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FontKind {
    Hei,
    Kai,
    Song,
}
