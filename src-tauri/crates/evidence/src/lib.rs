//! Reading a certificate (证书、证明) once its text is known — from a PDF's text layer, OCR or a
//! QR code: the holder's name, the organizer, the start and end dates, the hours or days and the
//! certificate number, each with the span of the text where it was found, so that a reader can
//! show the place on the page. Pure and engine-independent: text in, fields out.

pub mod crosscheck;
pub mod dates;
pub mod fields;
pub mod findings;
pub mod normalize;

pub use fields::{read_fields, Fields, Found};
