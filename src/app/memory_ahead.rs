//! The full-run worker's allocator: the standard one (dlmalloc), which grows the WebAssembly
//! memory by what it lacks whenever it runs out, with one change: each time the memory has had to
//! grow, it grows it by a further quarter at once, so the memory grows geometrically (a few
//! dozen times on the way to hundreds of megabytes) rather than by each allocation's shortfall.
//!
//! Why: Safari's engine gives only the first few WebAssembly memories of a web process (8 on a
//! Mac, 3 on iOS: JavaScriptCore's `maxNumWasmFastMemories`) a 4 GiB reservation that grows in
//! place. Any later memory is bounds-checked, and each `memory.grow` copies the whole of it.
//! Explore holds two before any run (the page's and the preview worker's): a full run adds up to
//! six (see `pages::explore::worker_run::MOST_WORKERS`), a sizing pool up to eight, and on iOS a
//! third memory is already the last fast one. A full-scale day in WebKitGTK with the limit set
//! to 3 took 220 s instead of 25 s, nearly all of it in the one worker whose memory was copied
//! on every grow; growing a quarter ahead, 31 s. The copies then add up to a few times the final
//! size; in a memory that grows in place the quarter costs nothing but address space.

use std::alloc::{GlobalAlloc, Layout, System};
use std::arch::wasm32::memory_size;

/// The allocator of the full-run worker's binary (`src/bin/full_run_worker.rs`).
pub struct GrowAhead;

/// The share of the memory, once grown, added at once.
const AHEAD_DIVISOR: usize = 4;
/// WebAssembly's page, in bytes.
pub const PAGE: usize = 65_536;

impl GrowAhead {
    /// After a call that may have grown the memory from `pages`: if it did, takes a further
    /// quarter from the system allocator and gives it straight back, so it sits at the top of
    /// the heap, free for what comes next.
    #[inline]
    fn after(pages: usize) {
        if memory_size(0) != pages {
            Self::grow_ahead();
        }
    }

    /// Goes to the system allocator directly, so it never comes back through [`GrowAhead`].
    #[cold]
    fn grow_ahead() {
        let bytes = memory_size(0) * PAGE / AHEAD_DIVISOR;
        if let Ok(layout) = Layout::from_size_align(bytes, 16) {
            // SAFETY: a layout of non-zero size; the block is freed at once and never touched.
            unsafe {
                let block = System.alloc(layout);
                if !block.is_null() {
                    System.dealloc(block, layout);
                }
            }
        }
    }
}

// SAFETY: every call is the system allocator's own; growing ahead only allocates and frees.
unsafe impl GlobalAlloc for GrowAhead {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pages = memory_size(0);
        let p = unsafe { System.alloc(layout) };
        Self::after(pages);
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let pages = memory_size(0);
        let p = unsafe { System.alloc_zeroed(layout) };
        Self::after(pages);
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let pages = memory_size(0);
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        Self::after(pages);
        p
    }
}
