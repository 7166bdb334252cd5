//! The desktop app's entry point (a binary so Windows builds get no console window).

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // WebKitGTK's DMA-BUF renderer keeps GPU buffers (and, on a laptop without a driver for its
    // GPU, the software rasteriser with LLVM) in the web process: some 90 MB of a village
    // laptop's memory for pages that are forms and tables. Without it the pages are drawn in
    // shared memory. Set before any thread starts; a value the user set wins.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
    gridledger_app::run();
}
