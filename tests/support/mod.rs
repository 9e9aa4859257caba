pub mod platform;
pub mod webdriver;
