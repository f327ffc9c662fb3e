//! Work whose writes are held back and written together when it ends (a
//! submission's dossier changes, its outbox messages): a task-local list the
//! writing module owns, filled while the work runs.

use std::cell::RefCell;

use tokio::task::LocalKey;

/// Runs `work` with `list` empty for it, and gives what `work` gave with what
/// it left in the list, in the order it was put there.
pub async fn collecting<T, H: 'static>(
    list: &'static LocalKey<RefCell<Vec<H>>>,
    work: impl std::future::Future<Output = T>,
) -> (T, Vec<H>) {
    list.scope(RefCell::new(Vec::new()), async {
        let done = work.await;
        (done, list.with(|held| held.take()))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    tokio::task_local! {
        static NOTES: RefCell<Vec<u8>>;
    }

    #[tokio::test]
    async fn what_the_work_puts_is_given_back_in_order_and_the_list_ends_with_it() {
        let (done, held) = collecting(&NOTES, async {
            NOTES.with(|n| n.borrow_mut().extend([1, 2]));
            NOTES.with(|n| n.borrow_mut().push(3));
            "done"
        })
        .await;
        assert_eq!((done, held), ("done", vec![1, 2, 3]));
        assert!(NOTES.try_with(|_| ()).is_err(), "outside the work nothing is held");
    }
}
