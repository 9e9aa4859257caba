//! How WebKitGTK renders the app, set through its environment before the first window.
//!
//! By default the page is drawn without compositing: under software rendering (office PCs
//! without GPU acceleration, remote sessions, Xvfb) compositing costs 40–60 ms a frame against
//! 16 ms, and the UI has no 3D or video. With compositing off, nothing in the app's own
//! process needs OpenGL — yet GTK probes GLX for its visuals and WebKit opens an EGL display to
//! find a DMA-BUF render device, and either loads Mesa's driver with LLVM: 56 MiB resident in
//! a 160 MiB process, for nothing. Three more variables keep them out. The web process still
//! opens its own EGL display, as it must.
//!
//! Anything the user has set is kept; `WEBKIT_DISABLE_COMPOSITING_MODE=0` turns compositing
//! back on, and with it the GPU paths (no variable here is set then).

/// The variables to set, given how the environment reads now.
pub fn plan(get: impl Fn(&str) -> Option<String>) -> Vec<(&'static str, &'static str)> {
    let compositing_off = get("WEBKIT_DISABLE_COMPOSITING_MODE").is_none_or(|v| v != "0");
    if !compositing_off {
        return Vec::new();
    }
    [
        ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
        // GTK: no GLX probe for GL-capable visuals; no GTK widget here draws with GL.
        ("GDK_GL", "disable"),
        // WebKit: no DMA-BUF renderer (it serves compositing only) …
        ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
        // … and a render device named, so the UI process does not open EGL to look one up.
        // Nothing opens it: without compositing and DMA-BUF the web process paints to shared
        // memory.
        ("WEBKIT_WEB_RENDER_DEVICE_FILE", "/dev/null"),
    ]
    .into_iter()
    .filter(|(k, _)| get(k).is_none())
    .collect()
}

/// Applies [`plan`] to this process's environment. Call first thing in `main`, before any
/// thread starts.
pub fn apply() {
    for (k, v) in plan(|k| std::env::var(k).ok()) {
        std::env::set_var(k, v);
    }
}

#[cfg(test)]
mod tests {
    use super::plan;
    use std::collections::HashMap;

    fn with(vars: &[(&str, &str)]) -> Vec<(&'static str, &'static str)> {
        let env: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        plan(|k| env.get(k).cloned())
    }

    #[test]
    fn by_default_compositing_is_off_and_nothing_loads_gl_in_the_app_process() {
        let p = with(&[]);
        let keys: Vec<_> = p.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            keys,
            [
                "WEBKIT_DISABLE_COMPOSITING_MODE",
                "GDK_GL",
                "WEBKIT_DISABLE_DMABUF_RENDERER",
                "WEBKIT_WEB_RENDER_DEVICE_FILE"
            ]
        );
    }

    #[test]
    fn compositing_turned_back_on_leaves_every_gpu_path_alone() {
        assert!(with(&[("WEBKIT_DISABLE_COMPOSITING_MODE", "0")]).is_empty());
    }

    #[test]
    fn what_the_user_set_is_kept() {
        let p = with(&[
            ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
            ("WEBKIT_WEB_RENDER_DEVICE_FILE", "/dev/dri/renderD128"),
            ("GDK_GL", "gles"),
        ]);
        assert_eq!(p, [("WEBKIT_DISABLE_DMABUF_RENDERER", "1")]);
    }
}
