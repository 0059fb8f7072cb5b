//! Memory benchmark (not a test): live heap after each stage of analysing a generated project,
//! the way the language server holds it (no retained syntax trees).
//!
//! `cargo bench -p rocky-tests --bench memory -- [--models 10000]`
//! Prints a Markdown table: live heap bytes after each stage and the peak while it ran.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicIsize, Ordering};

use rocky_tests::generator::{generate, GenConfig};

/// mimalloc (as the shipped binaries) with a count of live and peak bytes.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { mimalloc::MiMalloc.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed) + layout.size() as isize;
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            let delta = new_size as isize - layout.size() as isize;
            let now = LIVE.fetch_add(delta, Ordering::Relaxed) + delta;
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn mib(b: isize) -> String {
    format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0))
}

fn main() {
    let args = rocky_tests::bench_args::BenchArgs::from_env();
    println!("| models | stage | live heap after | peak during |");
    println!("|---:|---|---:|---:|");
    for n in args.sizes("10000") {
        let project = generate(&GenConfig { models: n, seed: 42 });
        let base = LIVE.load(Ordering::Relaxed);
        let stage = |what: &str, f: &mut dyn FnMut()| {
            PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
            f();
            let (live, peak) = (LIVE.load(Ordering::Relaxed) - base, PEAK.load(Ordering::Relaxed) - base);
            println!("| {n} | {what} | {} | {} |", mib(live), mib(peak));
        };
        let mut host = None;
        stage("load the project (texts, sidecars, source schemas)", &mut || host = Some(project.load_into_host()));
        let Some(mut host) = host else { return };
        let analysis = host.analysis();
        stage("all diagnostics (parse, resolve, infer every model)", &mut || {
            drop(analysis.all_diagnostics().expect("not cancelled"))
        });
        let (last, _) = project.models.last().cloned().unwrap_or_default();
        stage("hover on a column (walks its downstream)", &mut || {
            let text = analysis.file_text(&last).unwrap_or_default();
            let offset = text.find(',').map(|i| i as u32 - 2).unwrap_or(0);
            let hover = analysis.hover(&last, offset).expect("not cancelled");
            assert!(hover.is_some(), "the benchmark should hover a column");
        });
        stage("column lineage of every model (rocky/lineage, references)", &mut || {
            for model in analysis.models().expect("not cancelled") {
                drop(analysis.model_lineage(&model.name).expect("not cancelled"));
            }
        });
        stage("inlay hints of 300 files (resolution index; salsa keeps 256)", &mut || {
            for (path, _) in project.models.iter().take(300) {
                drop(analysis.inlay_hints(path, None).expect("not cancelled"));
            }
        });
        drop(analysis);
        stage("one edit, then its file's diagnostics (old values evicted)", &mut || {
            let sql = host.analysis().file_text(&last).unwrap_or_default();
            host.set_model(&last, format!("{sql}\n"));
            drop(host.analysis().file_diagnostics(&last).expect("not cancelled"))
        });
    }
}
