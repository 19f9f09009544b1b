//! Background workers that the parts of a page take turns with: a [`TaskPool`] started when the
//! first part asks, lent to one part at a time (a pool runs one batch of tasks at once), and
//! stopped when the last part waiting has had its turn. Respond's evidence panels share one for
//! their preview runs and another for their robustness checks, so a long check never holds up
//! the next question's evidence; Consolidate has one for its combined and GB runs.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;

use super::task_pool::TaskPool;
use super::tasks::{after_next_paint, yield_now};
use crate::model::Report;
use crate::model::sizing::tasks::{Task, TaskResult};

#[derive(Default)]
pub struct SharedPool {
    pool: RefCell<Option<Rc<TaskPool>>>,
    busy: Cell<bool>,
    waiting: Cell<usize>,
}

impl SharedPool {
    /// Waits for the pool's turn, then runs `f` with it; `None` when workers cannot start in
    /// this browser (the caller then does the work on the page).
    pub async fn with<T, F, Fut>(&self, f: F) -> Option<T>
    where
        F: FnOnce(Rc<TaskPool>) -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        self.waiting.set(self.waiting.get() + 1);
        while self.busy.replace(true) {
            after_next_paint().await;
        }
        self.waiting.set(self.waiting.get() - 1);
        let pool = {
            let mut p = self.pool.borrow_mut();
            if p.is_none() {
                *p = TaskPool::start().ok().map(Rc::new);
            }
            p.clone()
        };
        let result = match pool {
            Some(pool) => f(pool).await,
            None => None,
        };
        // The last result's message task has read it (a report takes several milliseconds to
        // read): stopping the workers (about ten more) and the caller's drawing each get a task
        // of their own, or together they made one over 50 ms at every load of a section's evidence.
        yield_now().await;
        if self.waiting.get() == 0 {
            self.pool.borrow_mut().take();
            yield_now().await;
        }
        self.busy.set(false);
        result
    }

    /// The reports of `runs` (each a [`Task::Run`]), in order: made in the pool on its turn, or,
    /// where workers cannot start or fail, on the page, a task each. `None` once `wanted` says
    /// the runs are no longer needed.
    pub async fn reports(&self, runs: Vec<Task>, wanted: impl Fn() -> bool) -> Option<Vec<Report>> {
        if runs.is_empty() {
            return Some(Vec::new());
        }
        let (asked, wanted) = (&runs, &wanted);
        let from_workers = self
            .with(|pool| async move {
                if !wanted() {
                    return None;
                }
                let results = pool.run(asked, Rc::new(|_, _| {})).await.ok()?;
                results.into_iter().map(TaskResult::into_report).collect()
            })
            .await;
        if !wanted() {
            return None;
        }
        if from_workers.is_some() {
            return from_workers;
        }
        let mut made = Vec::new();
        for run in &runs {
            yield_now().await;
            if !wanted() {
                return None;
            }
            made.push(run.run_preview()?);
        }
        Some(made)
    }
}
