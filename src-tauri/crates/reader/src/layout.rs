//! From boxes of text to lines of a page and back: words on one row joined with a space (a
//! label and its value are often separate boxes), rows in reading order, and for any span of the
//! resulting text the place on the page it came from.

use crate::ocr::{Rect, Word};
use serde::{Deserialize, Serialize};

/// One page: its size in its own units (pixels of the image; points of a PDF page) and its rows
/// of words in reading order.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub width: u32,
    pub height: u32,
    pub rows: Vec<Vec<Word>>,
}

/// Where a field was read: the page (from 0) and the rectangle on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub page: usize,
    pub rect: Rect,
    /// The page's size, so a viewer can scale the rectangle to what it shows.
    pub page_width: u32,
    pub page_height: u32,
}

impl Page {
    /// Groups words into rows: a word belongs to the row whose middle is within half its height.
    pub fn from_words(width: u32, height: u32, mut words: Vec<Word>) -> Page {
        words.sort_by_key(|w| (w.rect.y + w.rect.h / 2, w.rect.x));
        let mut rows: Vec<Vec<Word>> = Vec::new();
        for word in words {
            let mid = word.rect.y + word.rect.h / 2;
            let joins = rows
                .last()
                .and_then(|row| row.first())
                .is_some_and(|first| {
                    let row_mid = first.rect.y + first.rect.h / 2;
                    let tolerance = first.rect.h.min(word.rect.h) / 2;
                    mid.abs_diff(row_mid) <= tolerance
                });
            match rows.last_mut() {
                Some(row) if joins => row.push(word),
                _ => rows.push(vec![word]),
            }
        }
        for row in &mut rows {
            row.sort_by_key(|w| w.rect.x);
        }
        Page {
            width,
            height,
            rows,
        }
    }
}

/// The pages' text: words joined by a space, rows by a line break, pages by a blank line.
pub fn text_of(pages: &[Page]) -> String {
    let mut text = String::new();
    for (i, page) in pages.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        for row in &page.rows {
            let line: Vec<&str> = row.iter().map(|w| w.text.as_str()).collect();
            text.push_str(&line.join(" "));
            text.push('\n');
        }
    }
    text
}

/// The union of the rectangles of the words that the character span `(start, end)` of
/// [`text_of`] touches (on the page of its first character).
pub fn place_of(pages: &[Page], span: (usize, usize)) -> Option<Place> {
    let mut at = 0usize;
    let mut found: Option<(usize, Rect)> = None;
    for (p, page) in pages.iter().enumerate() {
        if p > 0 {
            at += 1;
        }
        for row in &page.rows {
            for (i, word) in row.iter().enumerate() {
                if i > 0 {
                    at += 1;
                }
                let len = word.text.chars().count();
                let (s, e) = (at, at + len);
                if s < span.1 && span.0 < e {
                    found = Some(match found {
                        None => (p, word.rect),
                        Some((fp, r)) if fp == p => (p, union(r, word.rect)),
                        Some(other) => other,
                    });
                }
                at = e;
            }
            at += 1;
        }
    }
    found.map(|(p, rect)| Place {
        page: p,
        rect,
        page_width: pages[p].width,
        page_height: pages[p].height,
    })
}

fn union(a: Rect, b: Rect) -> Rect {
    let (x0, y0) = (a.x.min(b.x), a.y.min(b.y));
    let (x1, y1) = ((a.x + a.w).max(b.x + b.w), (a.y + a.h).max(b.y + b.h));
    Rect {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, x: u32, y: u32, w: u32) -> Word {
        Word {
            text: text.into(),
            score: 1.0,
            rect: Rect { x, y, w, h: 40 },
        }
    }

    #[test]
    fn words_on_a_row_are_joined_and_spans_find_their_words() {
        let page = Page::from_words(
            1000,
            1000,
            vec![
                word("张三", 300, 104, 80),
                word("姓名：", 100, 100, 120),
                word("共计24学时", 100, 200, 200),
            ],
        );
        let pages = [page];
        let text = text_of(&pages);
        assert_eq!(text, "姓名： 张三\n共计24学时\n");
        let name = place_of(&pages, (4, 6)).map(|p| p.rect);
        assert_eq!(
            name,
            Some(Rect {
                x: 300,
                y: 104,
                w: 80,
                h: 40
            })
        );
        let both = place_of(&pages, (0, 6)).map(|p| p.rect);
        assert_eq!(
            both,
            Some(Rect {
                x: 100,
                y: 100,
                w: 280,
                h: 44
            })
        );
        let hours = place_of(&pages, (9, 13)).map(|p| p.rect.y);
        assert_eq!(hours, Some(200));
        assert_eq!(place_of(&pages, (50, 60)), None);
    }
}
