//! The browser entry point Trunk builds: mount the app.
fn main() {
    mp162_explorer::start();
}
